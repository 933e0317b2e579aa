// Interop check: dicomweb-client (the DICOMweb client OHIF and other viewers use) against a running Vna.
//
//   node interop.js <dicomweb base URL> <expected.json> <file.dcm>...
//
// Stores the files with STOW-RS, then searches (studies, series, instances), retrieves series metadata, the first frame
// of each instance and one whole instance, and checks each answer against expected.json (written by the C# test from
// the objects it made): UIDs, counts, the frame's bytes (SHA-256) and the instance's bytes. Prints one JSON line of
// results; exit status 0 when every check passed, 1 otherwise.
'use strict';

global.XMLHttpRequest = require('xhr2');
const crypto = require('crypto');
const fs = require('fs');
const { api } = require('dicomweb-client');

const sha256 = (buffer) => crypto.createHash('sha256').update(Buffer.from(buffer)).digest('hex');

async function main() {
  const [url, expectedPath, ...files] = process.argv.slice(2);
  const expected = JSON.parse(fs.readFileSync(expectedPath, 'utf8'));
  const client = new api.DICOMwebClient({ url, verbose: false });
  const checks = [];
  const check = (name, ok, detail) => checks.push({ name, ok: Boolean(ok), detail });

  // store
  const datasets = files.map((f) => new Uint8Array(fs.readFileSync(f)).buffer);
  await client.storeInstances({ datasets });
  check('store', true, `${datasets.length} instances`);

  // search
  const studies = await client.searchForStudies({ queryParams: { PatientID: expected.patientId } });
  check('searchForStudies', studies.length === 1 && studies[0]['0020000D'].Value[0] === expected.studyInstanceUid, JSON.stringify(studies.map((s) => s['0020000D'])));
  const series = await client.searchForSeries({ studyInstanceUID: expected.studyInstanceUid });
  check('searchForSeries', series.length === 1 && series[0]['0020000E'].Value[0] === expected.seriesInstanceUid, `${series.length} series`);
  const instances = await client.searchForInstances({ studyInstanceUID: expected.studyInstanceUid, seriesInstanceUID: expected.seriesInstanceUid });
  const found = instances.map((i) => i['00080018'].Value[0]).sort();
  check('searchForInstances', JSON.stringify(found) === JSON.stringify(Object.keys(expected.frames).sort()), found.join(','));

  // metadata
  const metadata = await client.retrieveSeriesMetadata({ studyInstanceUID: expected.studyInstanceUid, seriesInstanceUID: expected.seriesInstanceUid });
  const pixelUris = metadata.map((m) => (m['7FE00010'] || {}).BulkDataURI).filter(Boolean);
  check('retrieveSeriesMetadata', metadata.length === found.length && pixelUris.length === found.length, `${metadata.length} objects, ${pixelUris.length} pixel BulkDataURIs`);

  // frames
  for (const [sop, frameSha] of Object.entries(expected.frames)) {
    const frames = await client.retrieveInstanceFrames({
      studyInstanceUID: expected.studyInstanceUid, seriesInstanceUID: expected.seriesInstanceUid, sopInstanceUID: sop, frameNumbers: [1],
    });
    check(`retrieveInstanceFrames ${sop}`, frames.length === 1 && sha256(frames[0]) === frameSha, `${frames.length} frame(s)`);
  }

  // whole instance
  const [firstSop, firstSha] = Object.entries(expected.instances)[0];
  const instance = await client.retrieveInstance({ studyInstanceUID: expected.studyInstanceUid, seriesInstanceUID: expected.seriesInstanceUid, sopInstanceUID: firstSop });
  check('retrieveInstance', sha256(instance) === firstSha, `${instance.byteLength} bytes`);

  // bulk data by the URI the metadata gave
  const bulk = await client.retrieveBulkData({ BulkDataURI: pixelUris[0] });
  check('retrieveBulkData', Array.isArray(bulk) && bulk.length === 1 && Object.values(expected.frames).includes(sha256(bulk[0])), `${bulk.length} part(s)`);

  const ok = checks.every((c) => c.ok);
  process.stdout.write(JSON.stringify({ ok, checks }) + '\n');
  process.exit(ok ? 0 : 1);
}

main().catch((error) => {
  process.stdout.write(JSON.stringify({ ok: false, error: String(error && (error.stack || error.message || error)), status: error && error.status }) + '\n');
  process.exit(1);
});
