/* tests/bench/fsync-on-close.c — LD_PRELOAD shim for the DIMSE bench's "storescp_fsync" receiver: DCMTK storescp made
 * durable the simple way. Every regular file a process closes with fclose() after writing is flushed (fflush), synced
 * (fsync) and then its folder is synced (fsync of the directory), before the real fclose(). That is what an archive owes
 * before it answers success; storescp by itself does none of it. Built by tests/bench/dimse-store.sh with cc. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

static int (*real_fclose)(FILE *);

int fclose(FILE *stream)
{
    if (real_fclose == NULL) {
        real_fclose = (int (*)(FILE *))dlsym(RTLD_NEXT, "fclose");
    }

    int fd = stream != NULL ? fileno(stream) : -1;
    struct stat st;
    int flags = fd >= 0 ? fcntl(fd, F_GETFL) : -1;
    if (flags != -1 && (flags & O_ACCMODE) != O_RDONLY && fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
        char link[64], path[PATH_MAX];
        fflush(stream);
        fsync(fd);
        snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
        ssize_t n = readlink(link, path, sizeof path - 1);
        if (n > 0) {
            path[n] = '\0';
            int dir = open(dirname(path), O_RDONLY | O_DIRECTORY);
            if (dir >= 0) {
                fsync(dir);
                close(dir);
            }
        }
    }

    return real_fclose(stream);
}
