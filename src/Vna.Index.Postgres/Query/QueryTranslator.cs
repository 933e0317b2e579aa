using System.Globalization;
using Vna.Core;
using Vna.Dicom;

namespace Vna.Index.Postgres.Query;

/// <summary>
/// Translates an <see cref="IndexQuery"/> (a C-FIND identifier) into SQL over the index: matching keys become
/// parameterised WHERE conditions, return keys the select list, and only the tables the conditions (for the count) or
/// the returned attributes (for the page) need are joined.
/// </summary>
/// <remarks>
/// Matching is relational: a key of the query level or of any level above it is matched (QIDO-RS style); keys of levels
/// below the query level, and keys the index cannot match on, are ignored and reported in
/// <see cref="TranslatedQuery.IgnoredKeys"/>. PATIENT level is always the Patient Root model (one match per Patient ID +
/// Issuer of Patient ID) and takes patient keys only.
/// </remarks>
internal static class QueryTranslator
{
    private const string VisibleStudy = "st.lifecycle_state < 2";
    private const string VisibleOtherStudy = "AND x.lifecycle_state < 2";

    public static TranslatedQuery Translate(IndexQuery query, PostgresIndexOptions options)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(query.Identifier);
        if (!Enum.IsDefined(query.Level))
        {
            throw new ArgumentException($"Unknown query level {query.Level}.", nameof(query));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(query.Offset, nameof(query));
        if (query.Limit is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(query), "The limit must not be negative.");
        }

        var state = new State(query, options);
        state.Run();
        return state.Build();
    }

    private sealed class State(IndexQuery query, PostgresIndexOptions options)
    {
        private readonly QueryLevel _level = query.Level;
        private readonly bool _patientRoot = query.PatientRoot || query.Level == QueryLevel.Patient;
        private readonly DicomDataset _identifier = query.Identifier;
        private readonly SqlParameters _parameters = new();
        private readonly List<string> _conditions = [];
        private readonly List<ReturnField> _fields = [];
        private readonly HashSet<DicomTag> _returned = [];
        private readonly List<EmptyReturnKey> _emptyKeys = [];
        private readonly List<DicomTag> _ignored = [];
        private readonly HashSet<QueryLevel> _matchTables = [];
        private readonly HashSet<QueryLevel> _returnTables = [];
        private readonly HashSet<DicomTag> _matchedTogether = [];

        private string Visible => query.IncludeHidden ? string.Empty : VisibleOtherStudy;

        public void Run()
        {
            if (options.CombinedDateTimeMatching && _level != QueryLevel.Patient)
            {
                Combine(DicomTag.StudyDate, DicomTag.StudyTime);
                if (_level >= QueryLevel.Series)
                {
                    Combine(DicomTag.PerformedProcedureStepStartDate, DicomTag.PerformedProcedureStepStartTime);
                }
            }

            foreach (var item in _identifier)
            {
                Key(item);
            }

            // The unique keys of the query level and of the levels above it are always returned.
            if (_patientRoot)
            {
                Return(IndexAttributes.Get(DicomTag.PatientID));
                Return(IndexAttributes.Get(DicomTag.IssuerOfPatientID));
            }

            if (_level >= QueryLevel.Study)
            {
                Return(IndexAttributes.Get(DicomTag.StudyInstanceUID));
            }

            if (_level >= QueryLevel.Series)
            {
                Return(IndexAttributes.Get(DicomTag.SeriesInstanceUID));
            }

            if (_level == QueryLevel.Image)
            {
                Return(IndexAttributes.Get(DicomTag.SOPInstanceUID));
            }

            if (query.SourceDepartments is { } departments)
            {
                var allowed = _parameters.TextArray(departments);
                // Study and patient: any instance from the departments; series and instance: per instance, as retrieval
                // serves them, so a scoped caller never finds a series or instance it may not retrieve.
                switch (_level)
                {
                    case QueryLevel.Patient:
                        _conditions.Add($"EXISTS (SELECT 1 FROM study x WHERE x.patient_pk = p.patient_pk AND x.source_departments && {allowed}::text[])");
                        break;
                    case QueryLevel.Study:
                        _conditions.Add($"st.source_departments && {allowed}::text[]");
                        _matchTables.Add(QueryLevel.Study);
                        break;
                    case QueryLevel.Series:
                        _conditions.Add($"EXISTS (SELECT 1 FROM instance x WHERE x.series_pk = se.series_pk AND x.source_department = ANY({allowed}::text[]))");
                        break;
                    default:
                        _conditions.Add($"i.source_department = ANY({allowed}::text[])");
                        break;
                }
            }

            if (!query.IncludeHidden)
            {
                if (_level == QueryLevel.Patient)
                {
                    _conditions.Add("EXISTS (SELECT 1 FROM study x WHERE x.patient_pk = p.patient_pk AND x.lifecycle_state < 2)");
                }
                else
                {
                    _conditions.Add(VisibleStudy);
                    _matchTables.Add(QueryLevel.Study);
                }
            }
        }

        public TranslatedQuery Build()
        {
            var where = _conditions.Count == 0 ? string.Empty : "WHERE " + string.Join("\n  AND ", _conditions);
            var pageTables = new HashSet<QueryLevel>(_matchTables);
            pageTables.UnionWith(_returnTables);
            var select = string.Join(",\n       ", _fields.Select(f => f.Sql));
            var limit = Math.Min(query.Limit ?? options.MaxPageSize, options.MaxPageSize);
            var next = _parameters.Count + 1;
            var countSql = $"SELECT count(*) FROM {From(_matchTables)}\n{where}";
            var pageSql = string.Create(
                CultureInfo.InvariantCulture,
                $"SELECT {select}\nFROM {From(pageTables)}\n{where}\nORDER BY {OrderKey()}\nLIMIT ${next} OFFSET ${next + 1}");
            return new TranslatedQuery
            {
                Level = _level,
                CountSql = countSql,
                PageSql = pageSql,
                Parameters = _parameters,
                Fields = _fields,
                EmptyKeys = _emptyKeys,
                IgnoredKeys = _ignored,
                Offset = query.Offset,
                Limit = limit,
            };
        }

        private void Key(DicomItem item)
        {
            var tag = item.Tag;
            if (tag.IsGroupLength || tag.Group <= 0x0002 || tag.IsPrivate || tag.IsDelimiter
                || tag == DicomTag.SpecificCharacterSet || tag == DicomTag.QueryRetrieveLevel)
            {
                return; // never matched (PS3.4 C.2.2.2: Specific Character Set only says how the identifier is encoded)
            }

            if (tag == DicomTag.TimezoneOffsetFromUTC)
            {
                if (HasValue(item))
                {
                    _ignored.Add(tag); // times are matched as recorded, without a time zone
                }

                return;
            }

            if (tag == DicomTag.InstanceAvailability)
            {
                Availability(item);
                return;
            }

            if (!IndexAttributes.TryGet(tag, out var attribute))
            {
                if (HasValue(item))
                {
                    _ignored.Add(tag);
                }

                _emptyKeys.Add(new EmptyReturnKey(tag, item.VR));
                return;
            }

            if (!Applies(attribute.Level))
            {
                if (HasValue(item))
                {
                    _ignored.Add(tag); // below the query level
                }

                return;
            }

            Return(attribute);
            if (_matchedTogether.Contains(tag))
            {
                return;
            }

            var (condition, ignored) = Match(attribute, item);
            if (ignored)
            {
                _ignored.Add(tag);
            }

            if (condition is not null)
            {
                _conditions.Add(condition);
                _matchTables.Add(attribute.Level);
            }
        }

        private (string? Condition, bool Ignored) Match(IndexAttribute attribute, DicomItem item)
        {
            if (attribute.Kind == MatchKind.IssuerSequence)
            {
                return IssuerSequence(attribute, item);
            }

            if (item is not DicomElement)
            {
                return (null, HasValue(item));
            }

            var values = ValuesOf(item.Tag);
            var column = attribute.MatchColumn ?? attribute.Column;
            return attribute.Kind switch
            {
                MatchKind.Text => (DicomMatch.Text(column, values, _parameters), false),
                MatchKind.IntegerString => (DicomMatch.IntegerString(column, values, _parameters), false),
                MatchKind.Uid => (DicomMatch.Uid(column, values, _parameters), false),
                MatchKind.PersonName => (DicomMatch.PersonName(column, attribute.WordsColumn!, values, query.FuzzyMatching, _parameters), false),
                MatchKind.Date => (DicomMatch.Date(column, values, _parameters, attribute.Keyword), false),
                MatchKind.Time => (DicomMatch.Time(column, attribute.Column, values, _parameters, attribute.Keyword), false),
                MatchKind.TextArray => (DicomMatch.TextArray(column, values, _parameters), false),
                _ => (null, values.Length > 0), // counts are returned, not matched
            };
        }

        private (string? Condition, bool Ignored) IssuerSequence(IndexAttribute attribute, DicomItem item)
        {
            if (item is not DicomSequence sequence)
            {
                return (null, HasValue(item));
            }

            if (sequence.Items.Count == 0)
            {
                return (null, false);
            }

            // Sequence matching is supported for this one sequence: one item, matched on its Local Namespace Entity ID.
            var itemSet = sequence.Items[0];
            var ignored = sequence.Items.Count > 1
                || itemSet.Any(i => i.Tag != DicomTag.LocalNamespaceEntityID && !i.Tag.IsGroupLength && HasValue(i));
            var local = DicomMatch.Values(itemSet.GetStrings(DicomTag.LocalNamespaceEntityID).SelectMany(SplitValues));
            return (DicomMatch.Text(attribute.Column, local, _parameters), ignored);
        }

        private void Availability(DicomItem item)
        {
            var expression = _level switch
            {
                QueryLevel.Patient =>
                    $"(SELECT CASE WHEN coalesce(sum(x.num_nearline_instances), 0) > 0 THEN 1 ELSE 0 END FROM study x WHERE x.patient_pk = p.patient_pk {Visible})::smallint",
                QueryLevel.Study => "(CASE WHEN st.num_nearline_instances > 0 THEN 1 ELSE 0 END)::smallint",
                QueryLevel.Series => "(CASE WHEN se.num_nearline_instances > 0 THEN 1 ELSE 0 END)::smallint",
                _ => "i.availability",
            };

            if (_returned.Add(DicomTag.InstanceAvailability))
            {
                _fields.Add(new ReturnField(DicomTag.InstanceAvailability, DicomVR.CS, MatchKind.Availability, expression));
                _returnTables.Add(_level);
            }

            if (item is DicomElement)
            {
                var condition = DicomMatch.Availability(expression, ValuesOf(item.Tag), _parameters);
                if (condition is not null)
                {
                    _conditions.Add(condition);
                    _matchTables.Add(_level);
                }
            }
            else if (HasValue(item))
            {
                _ignored.Add(item.Tag);
            }
        }

        private void Combine(DicomTag dateTag, DicomTag timeTag)
        {
            var date = DicomMatch.Values(ValuesOf(dateTag));
            var time = DicomMatch.Values(ValuesOf(timeTag));
            if (date.Length != 1 || time.Length != 1)
            {
                return;
            }

            var dateAttribute = IndexAttributes.Get(dateTag);
            var timeAttribute = IndexAttributes.Get(timeTag);
            var condition = DicomMatch.CombinedDateTime(
                dateAttribute.Column, timeAttribute.MatchColumn!, date[0], time[0], _parameters, dateAttribute.Keyword);
            if (condition is not null)
            {
                _conditions.Add(condition);
                _matchTables.Add(dateAttribute.Level);
                _matchedTogether.Add(dateTag);
                _matchedTogether.Add(timeTag);
            }
        }

        private void Return(IndexAttribute attribute)
        {
            if (!_returned.Add(attribute.Tag))
            {
                return;
            }

            var sql = attribute.Column.Replace(IndexAttributes.VisibleToken, Visible, StringComparison.Ordinal);
            _fields.Add(new ReturnField(attribute.Tag, attribute.VR, attribute.Kind, sql));
            _returnTables.Add(attribute.Level);
        }

        private bool Applies(QueryLevel attributeLevel) =>
            _level == QueryLevel.Patient ? attributeLevel == QueryLevel.Patient : attributeLevel <= _level;

        private string[] ValuesOf(DicomTag tag) =>
            DicomMatch.Values(_identifier.GetElement(tag) is null ? [] : _identifier.GetStrings(tag).SelectMany(SplitValues));

        private static IEnumerable<string> SplitValues(string value) => value.Split('\\');

        private static bool HasValue(DicomItem item) => item switch
        {
            DicomElement element => element.Length > 0,
            DicomSequence sequence => sequence.Items.Any(i => i.Any(HasValue)),
            _ => false,
        };

        private string OrderKey() => _level switch
        {
            QueryLevel.Patient => "p.patient_pk",
            QueryLevel.Study => "st.study_pk",
            QueryLevel.Series => "se.series_pk",
            _ => "i.instance_pk",
        };

        /// <summary>The FROM clause: the query level's table and the tables above it that <paramref name="tables"/> needs.</summary>
        private string From(HashSet<QueryLevel> tables)
        {
            var patient = tables.Contains(QueryLevel.Patient);
            var study = patient || tables.Contains(QueryLevel.Study);
            switch (_level)
            {
                case QueryLevel.Patient:
                    return "patient p";
                case QueryLevel.Study:
                    return "study st" + (patient ? "\n  JOIN patient p ON p.patient_pk = st.patient_pk" : string.Empty);
                case QueryLevel.Series:
                    return "series se"
                        + (study ? "\n  JOIN study st ON st.study_pk = se.study_pk" : string.Empty)
                        + (patient ? "\n  JOIN patient p ON p.patient_pk = st.patient_pk" : string.Empty);
                default:
                    return "instance i"
                        + (tables.Contains(QueryLevel.Series) ? "\n  JOIN series se ON se.series_pk = i.series_pk" : string.Empty)
                        + (study ? "\n  JOIN study st ON st.study_pk = i.study_pk" : string.Empty)
                        + (patient ? "\n  JOIN patient p ON p.patient_pk = st.patient_pk" : string.Empty);
            }
        }
    }
}
