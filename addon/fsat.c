/*
 * safe-purge's native helper (Node-API, Linux): the two hot loops of a walk, done in C against a
 * directory fd, so that no path is ever looked up and no link is ever followed.
 *
 *   scan(fd, withStat, async, restart)
 *                                   one getdents64 batch of the directory fd, each entry lstat'ed
 *                                   relative to fd (statx with AT_SYMLINK_NOFOLLOW) when withStat;
 *                                   on the libuv thread pool when async
 *   unlinkBatch(fd, names, async)    unlinkat(fd, name, 0) for each NUL-terminated name in names;
 *                                   on the libuv thread pool when async
 *   flags(fd, name)                  the owner, mode and immutable/append-only flags of one name in
 *                                   the directory fd, or of fd itself (name null)
 *   rename(oldfd, oldname, newfd, newname, flags)
 *                                   renameat2 between two directory fds (plain, RENAME_NOREPLACE or
 *                                   RENAME_EXCHANGE), which Node does not have
 *   probe(fd, names, dirNames)       the first entry below the directory fd that must stay (a name
 *                                   in the lists, a mount point, an unreadable entry), or null
 *   cloneDirMeta(srcfd, dstfd)       directory dstfd gets srcfd's owner, group, mode and POSIX ACLs
 *                                   (Node has no xattr API)
 *
 * It never chdirs or follows anything, and it removes or moves only the names JavaScript hands
 * it, relative to directory fds JavaScript opened with O_NOFOLLOW. unlinkat without AT_REMOVEDIR
 * never removes a directory, and removes a link as a link; a rename moves a link as a link. The
 * one thing it opens is a directory probe walks: relative to its parent's fd, with O_NOFOLLOW,
 * and closed before probe returns, whichever way it returns.
 *
 * Its own rules hold whatever the caller does:
 *   - names are copied before they are checked, and only the copy is checked and used: a Buffer
 *     over a SharedArrayBuffer can change under us (another thread writes it at any moment);
 *   - a negative fd is refused: AT_FDCWD (-100) would mean the process's working directory;
 *   - async work runs on a duplicate of the fd taken when the call is made (F_DUPFD_CLOEXEC),
 *     closed when the work completes: the caller may close its fd meanwhile, and the number can
 *     then be reused for another directory before the thread pool gets to the work. A duplicate
 *     shares the file offset, so a listing still continues across calls.
 *
 * System calls go through syscall(2), so the binary needs no glibc newer than 2.14 and loads on
 * every supported runner; each but close is retried when a signal interrupts it (EINTR, which
 * FUSE and NFS roots can return). Errors are returned as positive errno numbers; bad arguments
 * (a caller's bug) are thrown.
 *
 * An lstat is a statx: it costs the same as fstatat and also reports the inode flags that decide
 * whether an entry can be unlinked at all (immutable, append-only: not even root can). Where statx
 * is missing or refused (a kernel older than 4.11, a seccomp filter), fstatat is used instead and
 * those flags are reported as unknown.
 */
#define _GNU_SOURCE
#define NAPI_VERSION 8
#include <errno.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <fcntl.h>
#include <dirent.h>
#include <node_api.h>

/* Bytes of directory entries read per scan (one getdents64 call). */
#define SCAN_BYTES 32768
/* Numbers per entry in the metadata array scan returns. */
#define META 9

#ifndef SYS_statx
#define SYS_statx 332 /* x86_64: headers older than the call */
#endif
#ifndef AT_STATX_SYNC_AS_STAT
#define AT_STATX_SYNC_AS_STAT 0
#endif
#ifndef AT_EMPTY_PATH
#define AT_EMPTY_PATH 0x1000
#endif
#ifndef AT_NO_AUTOMOUNT
#define AT_NO_AUTOMOUNT 0x800
#endif
#if !defined(SYS_renameat2) && defined(__x86_64__)
#define SYS_renameat2 316 /* x86_64: headers older than the call (Linux 3.15) */
#endif
#define FSAT_STATX_TYPE 0x1u
/* STATX_MNT_ID (Linux 5.8): stx_mnt_id, the mount ID /proc/self/fdinfo reports. */
#define FSAT_STATX_MNT_ID 0x1000u
#define FSAT_STATX_BASIC_STATS 0x7ffu
/* What an lstat must give (STATX_TYPE, MODE, UID, INO, SIZE): else the entry is stat'ed with fstatat. */
#define FSAT_STATX_NEEDED (0x1u | 0x2u | 0x8u | 0x100u | 0x200u)
#define FSAT_STATX_ATTR_IMMUTABLE 0x10u
#define FSAT_STATX_ATTR_APPEND 0x20u
/* The flags reported: those that stop an unlink of the entry, or of anything in it (a directory). */
#define UNLINK_FLAGS (FSAT_STATX_ATTR_IMMUTABLE | FSAT_STATX_ATTR_APPEND)

struct kdirent64 {
  uint64_t d_ino;
  int64_t d_off;
  unsigned short d_reclen;
  unsigned char d_type;
  char d_name[];
};

/* The kernel's struct statx (linux/stat.h, 256 bytes), declared here: no libc header needed. */
struct kstatx_time {
  int64_t tv_sec;
  uint32_t tv_nsec;
  int32_t reserved;
};
struct kstatx {
  uint32_t stx_mask;
  uint32_t stx_blksize;
  uint64_t stx_attributes;
  uint32_t stx_nlink;
  uint32_t stx_uid;
  uint32_t stx_gid;
  uint16_t stx_mode;
  uint16_t spare0;
  uint64_t stx_ino;
  uint64_t stx_size;
  uint64_t stx_blocks;
  uint64_t stx_attributes_mask;
  struct kstatx_time stx_atime, stx_btime, stx_ctime, stx_mtime;
  uint32_t stx_rdev_major, stx_rdev_minor;
  uint32_t stx_dev_major, stx_dev_minor;
  uint64_t stx_mnt_id;
  uint64_t spare[13];
};
_Static_assert(sizeof(struct kstatx) == 256, "struct statx is 256 bytes");

#define CHECK(call)                                                                                \
  do {                                                                                             \
    if ((call) != napi_ok) {                                                                       \
      napi_throw_error(env, "ERR_NATIVE", "safe-purge native helper: " #call " failed");           \
      return NULL;                                                                                 \
    }                                                                                              \
  } while (0)

static int is_dot(const char *n) { return n[0] == '.' && (n[1] == 0 || (n[1] == '.' && n[2] == 0)); }

/* syscall(2), again while it is interrupted by a signal (EINTR). */
#define RETRY(r, call)                                                                             \
  do {                                                                                             \
    (r) = (call);                                                                                  \
  } while ((r) < 0 && errno == EINTR)

/*
 * argv's fd, which must be a whole number from 0 to INT32_MAX: napi_get_value_int32 would turn
 * 2**32 - 100 into AT_FDCWD, and NaN or 0.5 into 0. Throws and returns false otherwise.
 */
static bool get_fd(napi_env env, napi_value v, const char *refusal, int *fd) {
  double d;
  if (napi_get_value_double(env, v, &d) != napi_ok || !(d >= 0 && d <= INT32_MAX) || d != (double)(int32_t)d) {
    napi_throw_range_error(env, "ERR_NATIVE_FD", refusal);
    return false;
  }
  *fd = (int)d;
  return true;
}

/*
 * For async work: a duplicate of fd that the work owns (see the header), or -errno when fd cannot
 * be duplicated (EBADF: not open), which the work reports as its result.
 */
static int dup_for_work(int fd) {
  long r;
  RETRY(r, syscall(SYS_fcntl, fd, F_DUPFD_CLOEXEC, 0));
  return r < 0 ? -errno : (int)r;
}

/* Closes a duplicate taken by dup_for_work (never retried: Linux frees the fd even on EINTR). */
static void close_dup(int fd) {
  if (fd >= 0) syscall(SYS_close, fd);
}

/* What an lstat reports here (as the doubles JavaScript gets). flags: -1 when unknown. */
struct entry_stat {
  double mode, size, dev, ino, uid, flags;
};

/*
 * st_dev from statx's major and minor as glibc's makedev computes it, which is what libuv (so
 * Node's fs.lstat) reports, and what fstatat's st_dev holds: the same number on either path.
 */
static uint64_t dev_of(uint32_t major, uint32_t minor) {
  return ((uint64_t)(major & 0xfffff000u) << 32) | ((uint64_t)(major & 0xfffu) << 8) | ((uint64_t)(minor & 0xffffff00u) << 12) |
         (uint64_t)(minor & 0xffu);
}

/* Set once statx is known to be missing or refused: fstatat from then on (read from any thread). */
static atomic_int no_statx;

/*
 * The errnos a statx that cannot run returns: ENOSYS (no such call, or a seccomp filter), EPERM
 * (the seccomp filters of libseccomp < 2.3.3 and Docker < 18.04), EINVAL and EOPNOTSUPP (some
 * network filesystems). libuv falls back to fstatat on the same ones.
 */
static bool statx_unusable(int e) { return e == ENOSYS || e == EPERM || e == EINVAL || e == EOPNOTSUPP; }

/*
 * The lstat of `name` relative to fd (at: AT_SYMLINK_NOFOLLOW, plus AT_EMPTY_PATH for fd itself
 * with name ""): 0, or the errno. statx first; fstatat when statx cannot run, remembered once
 * that is certain (ENOSYS, or fstatat works where statx did not), so it is not tried again.
 */
static int lstat_at(int fd, const char *name, int at, struct entry_stat *out) {
  long r;
  int statx_err = 0;
  if (!atomic_load_explicit(&no_statx, memory_order_relaxed)) {
    struct kstatx sx;
    /* AT_NO_AUTOMOUNT, as fstatat always has it: an lstat never triggers an automount. */
    RETRY(r, syscall(SYS_statx, fd, name, at | AT_NO_AUTOMOUNT | AT_STATX_SYNC_AS_STAT, FSAT_STATX_BASIC_STATS, &sx));
    /* A filesystem that leaves out a field the walk needs (zeros would read as root's, or as
       inode 0) is stat'ed the old way for that entry; statx stays in use for the others. */
    if (r == 0 && (sx.stx_mask & FSAT_STATX_NEEDED) != FSAT_STATX_NEEDED) {
      r = -1;
      errno = 0;
    }
    if (r == 0) {
      out->mode = sx.stx_mode;
      out->size = (double)sx.stx_size;
      out->dev = (double)dev_of(sx.stx_dev_major, sx.stx_dev_minor);
      out->ino = (double)sx.stx_ino;
      out->uid = sx.stx_uid;
      out->flags = (sx.stx_attributes_mask & UNLINK_FLAGS) == UNLINK_FLAGS ? (double)(sx.stx_attributes & UNLINK_FLAGS) : -1;
      return 0;
    }
    statx_err = errno;
    if (statx_err != 0 && !statx_unusable(statx_err)) return statx_err;
    if (statx_err == ENOSYS) atomic_store_explicit(&no_statx, 1, memory_order_relaxed);
  }
  struct stat st;
  RETRY(r, syscall(SYS_newfstatat, fd, name, &st, at));
  if (r != 0) return errno;
  if (statx_err != 0) atomic_store_explicit(&no_statx, 1, memory_order_relaxed);
  out->mode = st.st_mode;
  out->size = (double)st.st_size;
  out->dev = (double)st.st_dev;
  out->ino = (double)st.st_ino;
  out->uid = st.st_uid;
  out->flags = -1;
  return 0;
}

/*
 * scan(fd, withStat, async, restart) -> null at the end of the directory | errno (number) |
 *   [names: Buffer, meta: Float64Array, eof: boolean] (or a Promise of one of those, when async);
 * eof says the directory was read to its end (no further call is needed).
 * names holds each entry's name followed by a NUL; meta holds, per entry: offset of the name in
 * names, its length, errno of the lstat (0 = ok), st_mode, st_size, st_dev, st_ino, st_uid, and
 * flags: its immutable (0x10) and append-only (0x20) bits, -1 when unknown (fstatat, or the
 * filesystem does not report them). Without withStat, or when the lstat failed, st_mode holds
 * only the type bits from d_type (0 when unknown, or on failure) and the other numbers are 0,
 * flags -1. restart begins at the first entry (each listing of an fd passes it on its first call;
 * later calls continue where the last one stopped).
 */
struct scanjob {
  int fd;            /* the caller's fd (sync), or the work's own duplicate (async; -errno if none) */
  int owned;         /* fd is a duplicate: closed with the job */
  int with_stat;
  int restart;       /* start from the directory's first entry (lseek to 0) */
  long err;          /* errno of getdents64, or 0 */
  int end;           /* the directory is exhausted: nothing was read */
  int eof;           /* entries were read, and the directory has no more */
  size_t count;
  size_t name_bytes;
  char *names;
  double *meta;
  napi_async_work work;
  napi_deferred deferred;
};

static double dtype_mode(unsigned char t) {
  switch (t) {
    case DT_REG: return S_IFREG;
    case DT_DIR: return S_IFDIR;
    case DT_LNK: return S_IFLNK;
    case DT_FIFO: return S_IFIFO;
    case DT_SOCK: return S_IFSOCK;
    case DT_CHR: return S_IFCHR;
    case DT_BLK: return S_IFBLK;
    default: return 0;
  }
}

/*
 * Fills buf with the directory fd's next entries: getdents64 until the buffer is nearly full or
 * the directory ends (*eof), so a short directory is read to its end in one call. Returns the
 * bytes read, or -errno when the first read fails; a later failure ends the batch early, and
 * comes back on the next call.
 */
static long read_entries(int fd, char *buf, long size, int *eof) {
  long n = 0;
  *eof = 0;
  for (;;) {
    long got;
    RETRY(got, syscall(SYS_getdents64, fd, buf + n, size - n));
    if (got < 0) return n > 0 ? n : -errno;
    if (got == 0) {
      *eof = 1;
      return n;
    }
    n += got;
    if (size - n < 1024) return n;
  }
}

/* Runs on any thread: touches no JavaScript value. */
static void do_scan(struct scanjob *j) {
  if (j->fd < 0) {
    j->err = -j->fd; /* the fd could not be duplicated */
    return;
  }
  char *buf = malloc(SCAN_BYTES);
  if (buf == NULL) {
    j->err = ENOMEM;
    return;
  }
  long r;
  if (j->restart) {
    RETRY(r, syscall(SYS_lseek, j->fd, 0L, SEEK_SET));
    if (r != 0) {
      j->err = r < 0 ? errno : EIO;
      free(buf);
      return;
    }
  }
  long n = read_entries(j->fd, buf, SCAN_BYTES, &j->eof);
  if (n < 0) {
    j->err = -n;
    free(buf);
    return;
  }
  if (n == 0) {
    j->end = 1;
    free(buf);
    return;
  }
  size_t count = 0, name_bytes = 0;
  for (long pos = 0; pos < n;) {
    struct kdirent64 *d = (struct kdirent64 *)(buf + pos);
    if (!is_dot(d->d_name)) {
      count++;
      name_bytes += strlen(d->d_name) + 1;
    }
    pos += d->d_reclen;
  }
  j->names = calloc(name_bytes > 0 ? name_bytes : 1, 1);
  j->meta = calloc((count > 0 ? count : 1) * META, sizeof(double));
  if (j->names == NULL || j->meta == NULL) {
    j->err = ENOMEM;
    free(buf);
    return;
  }
  size_t off = 0, i = 0;
  for (long pos = 0; pos < n;) {
    struct kdirent64 *d = (struct kdirent64 *)(buf + pos);
    pos += d->d_reclen;
    if (is_dot(d->d_name)) continue;
    size_t len = strlen(d->d_name);
    memcpy(j->names + off, d->d_name, len + 1);
    double *e = j->meta + i * META;
    e[0] = (double)off;
    e[1] = (double)len;
    e[2] = e[4] = e[5] = e[6] = e[7] = 0;
    e[3] = dtype_mode(d->d_type);
    e[8] = -1;
    if (j->with_stat) {
      struct entry_stat st;
      int err = lstat_at(j->fd, d->d_name, AT_SYMLINK_NOFOLLOW, &st);
      if (err != 0) {
        e[2] = err;
        e[3] = 0;
      } else {
        e[3] = st.mode;
        e[4] = st.size;
        e[5] = st.dev;
        e[6] = st.ino;
        e[7] = st.uid;
        e[8] = st.flags;
      }
    }
    off += len + 1;
    i++;
  }
  j->count = count;
  j->name_bytes = name_bytes;
  free(buf);
}

static void scanjob_free(struct scanjob *j) {
  if (j->owned) close_dup(j->fd);
  free(j->names);
  free(j->meta);
  free(j);
}

/* The JavaScript value for a finished scan (see above); NULL with an exception pending on failure. */
static napi_value scan_result(napi_env env, struct scanjob *j) {
  napi_value r;
  if (j->end) {
    CHECK(napi_get_null(env, &r));
    return r;
  }
  if (j->err != 0) {
    CHECK(napi_create_int32(env, (int32_t)j->err, &r));
    return r;
  }
  napi_value names, meta_ab, meta;
  void *names_data, *meta_data;
  CHECK(napi_create_buffer_copy(env, j->name_bytes > 0 ? j->name_bytes : 1, j->names, &names_data, &names));
  CHECK(napi_create_arraybuffer(env, (j->count > 0 ? j->count : 1) * META * sizeof(double), &meta_data, &meta_ab));
  memcpy(meta_data, j->meta, j->count * META * sizeof(double));
  CHECK(napi_create_typedarray(env, napi_float64_array, j->count * META, meta_ab, 0, &meta));
  napi_value eof;
  CHECK(napi_get_boolean(env, j->eof != 0, &eof));
  CHECK(napi_create_array_with_length(env, 3, &r));
  CHECK(napi_set_element(env, r, 0, names));
  CHECK(napi_set_element(env, r, 1, meta));
  CHECK(napi_set_element(env, r, 2, eof));
  return r;
}

static void scan_execute(napi_env env, void *data) {
  (void)env;
  do_scan(data);
}

static void settle(napi_env env, napi_deferred deferred, napi_value r, const char *what) {
  if (r != NULL) {
    napi_resolve_deferred(env, deferred, r);
    return;
  }
  napi_value pending = NULL, msg, err;
  if (napi_get_and_clear_last_exception(env, &pending) == napi_ok && pending != NULL) {
    napi_valuetype t;
    if (napi_typeof(env, pending, &t) == napi_ok && t != napi_undefined) {
      napi_reject_deferred(env, deferred, pending);
      return;
    }
  }
  /* Reject with an Error naming `what`; failing that, with the bare message or undefined: never
     with an uninitialized value. */
  napi_value reason = NULL;
  if (napi_create_string_utf8(env, what, NAPI_AUTO_LENGTH, &msg) == napi_ok) {
    reason = napi_create_error(env, NULL, msg, &err) == napi_ok ? err : msg;
  } else if (napi_get_undefined(env, &reason) != napi_ok) {
    reason = NULL;
  }
  if (reason != NULL) napi_reject_deferred(env, deferred, reason);
}

/*
 * Queues `data` on the thread pool and returns its promise. On failure the promise is rejected
 * and false is returned: the caller frees `data` (no callback will run).
 */
static bool queue(napi_env env, const char *name, napi_async_execute_callback execute, napi_async_complete_callback complete,
                  void *data, napi_deferred *deferred, napi_async_work *work, napi_value *promise) {
  if (napi_create_promise(env, deferred, promise) != napi_ok) {
    napi_throw_error(env, "ERR_NATIVE", "safe-purge native helper: cannot create a promise");
    *promise = NULL;
    return false;
  }
  napi_value resource;
  if (napi_create_string_utf8(env, name, NAPI_AUTO_LENGTH, &resource) != napi_ok ||
      napi_create_async_work(env, NULL, resource, execute, complete, data, work) != napi_ok) {
    settle(env, *deferred, NULL, "safe-purge native helper: cannot queue work on the thread pool");
    return false;
  }
  if (napi_queue_async_work(env, *work) != napi_ok) {
    napi_delete_async_work(env, *work);
    settle(env, *deferred, NULL, "safe-purge native helper: cannot queue work on the thread pool");
    return false;
  }
  return true;
}

static void scan_complete(napi_env env, napi_status status, void *data) {
  struct scanjob *j = data;
  napi_value r = status == napi_ok ? scan_result(env, j) : NULL;
  settle(env, j->deferred, r, "safe-purge native helper: directory scan did not run");
  napi_delete_async_work(env, j->work);
  scanjob_free(j);
}

static napi_value scan(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4];
  int fd;
  bool with_stat, async, restart;
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 4) {
    napi_throw_type_error(env, NULL, "scan(fd, withStat, async, restart)");
    return NULL;
  }
  if (!get_fd(env, argv[0], "scan: fd must be a directory's fd (a whole number, 0 or more)", &fd)) return NULL;
  CHECK(napi_get_value_bool(env, argv[1], &with_stat));
  CHECK(napi_get_value_bool(env, argv[2], &async));
  CHECK(napi_get_value_bool(env, argv[3], &restart));
  struct scanjob *j = calloc(1, sizeof *j);
  if (j == NULL) {
    napi_throw_error(env, "ERR_NATIVE", "safe-purge native helper: out of memory");
    return NULL;
  }
  j->with_stat = with_stat;
  j->restart = restart;
  if (!async) {
    j->fd = fd;
    do_scan(j);
    napi_value r = scan_result(env, j);
    scanjob_free(j);
    return r;
  }
  j->fd = dup_for_work(fd);
  j->owned = 1;
  napi_value promise;
  if (!queue(env, "safe-purge:scan", scan_execute, scan_complete, j, &j->deferred, &j->work, &promise)) scanjob_free(j);
  return promise;
}

struct batch {
  int fd;       /* the caller's fd (sync), or the work's own duplicate (async; -errno if none) */
  int owned;    /* fd is a duplicate: closed with the batch */
  size_t count;
  char *names;  /* count NUL-terminated names, back to back: our copy, checked after copying */
  int32_t *errs;
  napi_async_work work;
  napi_deferred deferred;
};

static void unlink_all(struct batch *b) {
  const char *p = b->names;
  for (size_t i = 0; i < b->count; i++) {
    if (b->fd < 0) {
      b->errs[i] = -b->fd; /* the fd could not be duplicated */
    } else {
      long r;
      RETRY(r, syscall(SYS_unlinkat, b->fd, p, 0));
      b->errs[i] = r == 0 ? 0 : errno;
    }
    p += strlen(p) + 1;
  }
}

static void batch_free(struct batch *b) {
  if (b->owned) close_dup(b->fd);
  free(b->names);
  free(b->errs);
  free(b);
}

/* The per-name results as an Int32Array (0 = removed, else errno). */
static napi_value batch_result(napi_env env, struct batch *b) {
  napi_value ab, arr;
  void *data;
  CHECK(napi_create_arraybuffer(env, (b->count > 0 ? b->count : 1) * sizeof(int32_t), &data, &ab));
  if (b->count > 0) memcpy(data, b->errs, b->count * sizeof(int32_t));
  CHECK(napi_create_typedarray(env, napi_int32_array, b->count, ab, 0, &arr));
  return arr;
}

static void batch_execute(napi_env env, void *data) {
  (void)env;
  unlink_all(data);
}

static void batch_complete(napi_env env, napi_status status, void *data) {
  struct batch *b = data;
  napi_value r = status == napi_ok ? batch_result(env, b) : NULL;
  settle(env, b->deferred, r, "safe-purge native helper: unlink batch did not run");
  napi_delete_async_work(env, b->work);
  batch_free(b);
}

/*
 * unlinkBatch(fd, names: Buffer, async: boolean)
 *   -> Int32Array (sync) | Promise<Int32Array> (async): errno per name, 0 when removed.
 * names is one or more non-empty names, each followed by a NUL.
 */
static napi_value unlink_batch(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  int fd;
  bool async;
  void *names;
  size_t names_len;
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 3) {
    napi_throw_type_error(env, NULL, "unlinkBatch(fd, names, async)");
    return NULL;
  }
  if (!get_fd(env, argv[0], "unlinkBatch: fd must be a directory's fd (a whole number, 0 or more)", &fd)) return NULL;
  CHECK(napi_get_buffer_info(env, argv[1], &names, &names_len));
  CHECK(napi_get_value_bool(env, argv[2], &async));
  struct batch *b = calloc(1, sizeof *b);
  if (b != NULL) b->names = malloc(names_len > 0 ? names_len : 1);
  if (b == NULL || b->names == NULL) {
    free(b);
    napi_throw_error(env, "ERR_NATIVE", "safe-purge native helper: out of memory");
    return NULL;
  }
  /* Copy first, then check and use only the copy: the caller's bytes may be shared memory that
     another thread rewrites at any moment, so what was checked there is not what would be read.
     The copy must end with a NUL; no name may be empty, ".", ".." or hold a "/" (a name is one
     entry of the directory, never a path that could lead elsewhere). */
  if (names_len > 0) memcpy(b->names, names, names_len);
  const char *p0 = b->names;
  const char *refused = NULL;
  size_t count = 0;
  if (names_len == 0 || p0[names_len - 1] != 0) refused = "unlinkBatch: names must be NUL-terminated";
  for (size_t i = 0, start = 0; refused == NULL && i < names_len; i++) {
    if (p0[i] == '/') {
      refused = "unlinkBatch: a name holds a slash";
    } else if (p0[i] == 0) {
      if (i == start || is_dot(p0 + start)) refused = "unlinkBatch: an empty name, or . or ..";
      count++;
      start = i + 1;
    }
  }
  if (refused != NULL) {
    batch_free(b);
    napi_throw_range_error(env, NULL, refused);
    return NULL;
  }
  b->count = count;
  b->errs = malloc(count * sizeof(int32_t));
  if (b->errs == NULL) {
    batch_free(b);
    napi_throw_error(env, "ERR_NATIVE", "safe-purge native helper: out of memory");
    return NULL;
  }
  if (!async) {
    b->fd = fd;
    unlink_all(b);
    napi_value r = batch_result(env, b);
    batch_free(b);
    return r;
  }
  b->fd = dup_for_work(fd);
  b->owned = 1;
  napi_value promise;
  if (!queue(env, "safe-purge:unlinkBatch", batch_execute, batch_complete, b, &b->deferred, &b->work, &promise)) batch_free(b);
  return promise;
}

/* A refusal of a caller's bug as a RangeError, "<who>: <what>". */
static void throw_refusal(napi_env env, const char *who, const char *what) {
  char msg[160];
  snprintf(msg, sizeof msg, "%s: %s", who, what);
  napi_throw_range_error(env, NULL, msg);
}

/*
 * A malloc'd, NUL-terminated copy of the Buffer v, which must hold one entry name: not empty, no
 * NUL, no slash, not . or .. (never a path). Copied first, then checked: only the copy is used
 * (see unlinkBatch). NULL with an exception pending when refused; `who` begins the message.
 */
static char *copy_name(napi_env env, napi_value v, const char *who) {
  bool is_buffer = false;
  void *data;
  size_t len;
  CHECK(napi_is_buffer(env, v, &is_buffer));
  if (!is_buffer) {
    char msg[160];
    snprintf(msg, sizeof msg, "%s: a name must be a Buffer", who);
    napi_throw_type_error(env, NULL, msg);
    return NULL;
  }
  CHECK(napi_get_buffer_info(env, v, &data, &len));
  char *name = malloc(len + 1);
  if (name == NULL) {
    napi_throw_error(env, "ERR_NATIVE", "safe-purge native helper: out of memory");
    return NULL;
  }
  if (len > 0) memcpy(name, data, len);
  name[len] = 0;
  const char *refused = NULL;
  if (memchr(name, 0, len) != NULL) refused = "a name holds a NUL";
  else if (memchr(name, '/', len) != NULL) refused = "a name holds a slash";
  else if (len == 0 || is_dot(name)) refused = "an empty name, or . or ..";
  if (refused != NULL) {
    free(name);
    throw_refusal(env, who, refused);
    return NULL;
  }
  return name;
}

/*
 * flags(fd, name: Buffer | null) -> [uid, mode, flags] | errno (number): the lstat of one name in
 * the directory fd, or of what fd itself holds when name is null (AT_EMPTY_PATH: no search of
 * anything, and the fd may be any file's), reduced to what decides whether it can be unlinked;
 * flags as in scan's metadata (-1 unknown). Synchronous: one system call, no thread-pool hop.
 * name is one non-empty name without a NUL or a slash, and not . or .. (never a path).
 */
static napi_value flags(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  int fd;
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 2) {
    napi_throw_type_error(env, NULL, "flags(fd, name)");
    return NULL;
  }
  if (!get_fd(env, argv[0], "flags: fd must be an open fd (a whole number, 0 or more)", &fd)) return NULL;
  napi_valuetype type;
  bool is_buffer = false;
  CHECK(napi_typeof(env, argv[1], &type));
  if (type != napi_null) CHECK(napi_is_buffer(env, argv[1], &is_buffer));
  if (type != napi_null && !is_buffer) {
    napi_throw_type_error(env, NULL, "flags: name must be a Buffer or null");
    return NULL;
  }
  char *name = NULL;
  if (is_buffer && (name = copy_name(env, argv[1], "flags")) == NULL) return NULL;
  struct entry_stat st;
  int err = lstat_at(fd, name != NULL ? name : "", name != NULL ? AT_SYMLINK_NOFOLLOW : AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW, &st);
  free(name);
  napi_value r, v;
  if (err != 0) {
    CHECK(napi_create_int32(env, err, &r));
    return r;
  }
  CHECK(napi_create_array_with_length(env, 3, &r));
  CHECK(napi_create_double(env, st.uid, &v));
  CHECK(napi_set_element(env, r, 0, v));
  CHECK(napi_create_double(env, st.mode, &v));
  CHECK(napi_set_element(env, r, 1, v));
  CHECK(napi_create_double(env, st.flags, &v));
  CHECK(napi_set_element(env, r, 2, v));
  return r;
}

/*
 * rename(oldfd, oldname: Buffer, newfd, newname: Buffer, flags) -> errno (number), 0 when moved:
 * renameat2(oldfd, oldname, newfd, newname, flags), flags 0, 1 (RENAME_NOREPLACE: EEXIST when
 * newname exists, decided by the kernel, so no race) or 2 (RENAME_EXCHANGE: the two swap places
 * at once; both must exist). Names as in flags(). A kernel or filesystem without the flag says
 * EINVAL (or ENOSYS: no renameat2 at all, Linux < 3.15, or a seccomp filter): that errno is
 * returned, and JavaScript decides what to do instead. Plain renames then use renameat (where
 * the architecture has one).
 */
static napi_value rename_at(napi_env env, napi_callback_info info) {
  size_t argc = 5;
  napi_value argv[5];
  int oldfd, newfd;
  double how;
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 5) {
    napi_throw_type_error(env, NULL, "rename(oldfd, oldname, newfd, newname, flags)");
    return NULL;
  }
  if (!get_fd(env, argv[0], "rename: oldfd must be a directory's fd (a whole number, 0 or more)", &oldfd)) return NULL;
  if (!get_fd(env, argv[2], "rename: newfd must be a directory's fd (a whole number, 0 or more)", &newfd)) return NULL;
  if (napi_get_value_double(env, argv[4], &how) != napi_ok || !(how == 0 || how == 1 || how == 2)) {
    throw_refusal(env, "rename", "flags must be 0, 1 (RENAME_NOREPLACE) or 2 (RENAME_EXCHANGE)");
    return NULL;
  }
  char *oldname = copy_name(env, argv[1], "rename");
  if (oldname == NULL) return NULL;
  char *newname = copy_name(env, argv[3], "rename");
  if (newname == NULL) {
    free(oldname);
    return NULL;
  }
  int err = ENOSYS; /* headers with no number for renameat2 (not x86_64, older than the call) */
#ifdef SYS_renameat2
  {
    long r;
    RETRY(r, syscall(SYS_renameat2, oldfd, oldname, newfd, newname, (unsigned)how));
    err = r == 0 ? 0 : errno;
  }
#endif
#ifdef SYS_renameat /* none on arm64, riscv and the other generic-table architectures: renameat2 only */
  if (err == ENOSYS && how == 0) {
    long r;
    RETRY(r, syscall(SYS_renameat, oldfd, oldname, newfd, newname));
    err = r == 0 ? 0 : errno;
  }
#endif
  free(oldname);
  free(newname);
  napi_value v;
  CHECK(napi_create_int32(env, err, &v));
  return v;
}

/* Reasons probe stops. */
#define PROBE_LISTED 1
#define PROBE_MOUNT 2
#define PROBE_UNREADABLE 3
/* Levels below fd that probe goes down at most (then it stops: ELOOP). */
#define PROBE_MAX_DEPTH 4096
#define PROBE_OPEN (O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)

/* A probe name list: our copy of the caller's bytes, split. has_len[n]: some name is n bytes long. */
struct names {
  char *bytes;
  size_t count;
  const char **at;
  size_t *len;
  bool has_len[256];
};

static void names_free(struct names *l) {
  free(l->bytes);
  free(l->at);
  free(l->len);
}

/*
 * Parses the Buffer v into l: names separated by NULs (a final NUL is allowed), or none when v is
 * empty. Copied first, then checked (see unlinkBatch): each name non-empty, no slash, not . or ..,
 * no uppercase ASCII letter (the caller lowercases: entries are folded, never the list). false
 * with an exception pending when refused (l is then freed).
 */
static bool parse_names(napi_env env, napi_value v, const char *what, struct names *l) {
  bool is_buffer = false;
  void *data;
  size_t len;
  memset(l, 0, sizeof *l);
  if (napi_is_buffer(env, v, &is_buffer) != napi_ok || !is_buffer) {
    char msg[160];
    snprintf(msg, sizeof msg, "probe: %s must be a Buffer", what);
    napi_throw_type_error(env, NULL, msg);
    return false;
  }
  if (napi_get_buffer_info(env, v, &data, &len) != napi_ok) {
    napi_throw_error(env, "ERR_NATIVE", "safe-purge native helper: napi_get_buffer_info failed");
    return false;
  }
  l->bytes = malloc(len + 1);
  if (l->bytes != NULL) {
    if (len > 0) memcpy(l->bytes, data, len);
    l->bytes[len] = 0;
    if (len > 0 && l->bytes[len - 1] == 0) len--; /* the final NUL: the one we add ends that name */
    size_t count = 0;
    for (size_t i = 0; len > 0 && i <= len; i++) count += l->bytes[i] == 0;
    l->at = malloc((count > 0 ? count : 1) * sizeof *l->at);
    l->len = malloc((count > 0 ? count : 1) * sizeof *l->len);
  }
  if (l->bytes == NULL || l->at == NULL || l->len == NULL) {
    names_free(l);
    napi_throw_error(env, "ERR_NATIVE", "safe-purge native helper: out of memory");
    return false;
  }
  const char *refused = NULL;
  for (size_t i = 0, start = 0; len > 0 && i <= len && refused == NULL; i++) {
    char c = l->bytes[i];
    if (c == '/') {
      refused = "a name holds a slash";
    } else if (c >= 'A' && c <= 'Z') {
      refused = "a name holds an uppercase letter (names are lowercase)";
    } else if (c == 0) {
      if (i == start || is_dot(l->bytes + start)) refused = "an empty name, or . or ..";
      l->at[l->count] = l->bytes + start;
      l->len[l->count] = i - start;
      if (i - start < sizeof l->has_len) l->has_len[i - start] = true;
      l->count++;
      start = i + 1;
    }
  }
  if (refused != NULL) {
    char msg[160];
    snprintf(msg, sizeof msg, "probe: %s in %s", refused, what);
    names_free(l);
    napi_throw_range_error(env, NULL, msg);
    return false;
  }
  return true;
}

/*
 * Whether the entry name e (len bytes) is one of l's names, as the policy compares them: its
 * toLowerCase equals the name. For names of ASCII letters that is ASCII case folding, plus the
 * one non-ASCII character toLowerCase turns into ASCII: the Kelvin sign (U+212A, UTF-8 e2 84 aa)
 * becomes "k". (JavaScript leaves names with other non-ASCII characters to its own walk.)
 */
static bool listed(const struct names *l, const char *e, size_t len) {
  if (l->count == 0) return false;
  bool kelvin = memchr(e, 0xe2, len) != NULL;
  if (!kelvin && (len >= sizeof l->has_len || !l->has_len[len])) return false;
  for (size_t k = 0; k < l->count; k++) {
    const unsigned char *n = (const unsigned char *)l->at[k];
    size_t nlen = l->len[k], i = 0, j = 0;
    if (!kelvin && nlen != len) continue;
    while (i < len && j < nlen) {
      unsigned char c = (unsigned char)e[i];
      if (c == 0xe2 && i + 2 < len && (unsigned char)e[i + 1] == 0x84 && (unsigned char)e[i + 2] == 0xaa) {
        c = 'k';
        i += 3;
      } else {
        if (c >= 'A' && c <= 'Z') c += 'a' - 'A';
        i++;
      }
      if (c != n[j++]) break;
      if (i == len && j == nlen) return true;
    }
  }
  return false;
}

/* A directory's device (as st_dev) and, where statx reports it, its mount ID. 0 or errno. */
struct dir_id {
  uint64_t dev, mnt;
  bool has_mnt;
};

static int dir_id_of(int fd, struct dir_id *id) {
  long r;
  id->has_mnt = false;
  if (!atomic_load_explicit(&no_statx, memory_order_relaxed)) {
    struct kstatx sx;
    RETRY(r, syscall(SYS_statx, fd, "", AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW | AT_STATX_SYNC_AS_STAT, FSAT_STATX_TYPE | FSAT_STATX_MNT_ID, &sx));
    if (r == 0) {
      id->dev = dev_of(sx.stx_dev_major, sx.stx_dev_minor);
      id->has_mnt = (sx.stx_mask & FSAT_STATX_MNT_ID) != 0;
      id->mnt = sx.stx_mnt_id;
      return 0;
    }
    if (!statx_unusable(errno)) return errno;
  }
  struct stat st;
  RETRY(r, syscall(SYS_fstat, fd, &st));
  if (r != 0) return errno;
  id->dev = st.st_dev;
  return 0;
}

/* One directory on probe's stack: the rest of its current batch's subdirectories to go into. */
struct frame {
  int fd;
  int eof;          /* its listing has reached the end */
  int depth;        /* levels below probe's fd (0: fd itself) */
  size_t path_len;  /* its path's length in the path buffer (0: fd itself) */
  char *dirs;       /* NUL-terminated names, back to back */
  size_t dirs_len, dirs_pos;
};

struct probe {
  const struct names *any, *dir_only;
  char *buf;        /* getdents64 batch */
  char *subdirs;    /* the batch's subdirectory names, collected */
  char *path;       /* the path of the entry being looked at, relative to fd */
  size_t path_cap, path_len;
  struct frame *stack;
  size_t top, cap;
};

/* Stops probe's walk: reason 3, errno e. */
static int unreadable(int *err, int e) {
  *err = e;
  return PROBE_UNREADABLE;
}

/* The path of `name` in the directory whose path is the first `base` bytes. false: no memory. */
static bool path_to(struct probe *p, size_t base, const char *name, size_t len) {
  size_t need = base + 1 + len + 1;
  if (need > p->path_cap) {
    size_t cap = p->path_cap * 2 > need ? p->path_cap * 2 : need;
    char *grown = realloc(p->path, cap);
    if (grown == NULL) return false;
    p->path = grown;
    p->path_cap = cap;
  }
  if (base > 0) p->path[base++] = '/';
  memcpy(p->path + base, name, len);
  p->path_len = base + len;
  return true;
}

static void pop(struct probe *p) {
  struct frame *f = &p->stack[--p->top];
  syscall(SYS_close, f->fd);
  free(f->dirs);
}

/*
 * The walk (see probe below): 0 when nothing must stay, else the reason, with *err set and the
 * entry's path in p->path. Every fd it opens is closed by the caller (pop) whatever it returns.
 */
static int walk(struct probe *p, int fd, int *err) {
  struct dir_id top_id, id;
  long r;
  *err = 0;
  p->path_len = 0;
  int root;
  /* Our own open of the directory: a listing offset of our own, the caller's fd untouched. */
  RETRY(root, (int)syscall(SYS_openat, fd, ".", PROBE_OPEN));
  if (root < 0) return unreadable(err, errno);
  p->stack[p->top++] = (struct frame){.fd = root};
  if ((*err = dir_id_of(root, &top_id)) != 0) return PROBE_UNREADABLE;
  while (p->top > 0) {
    struct frame *f = &p->stack[p->top - 1];
    if (f->dirs_pos < f->dirs_len) {
      const char *name = f->dirs + f->dirs_pos;
      size_t len = strlen(name);
      f->dirs_pos += len + 1;
      if (!path_to(p, f->path_len, name, len)) return unreadable(err, ENOMEM);
      int child;
      RETRY(child, (int)syscall(SYS_openat, f->fd, name, PROBE_OPEN));
      if (child < 0 && errno == ENOENT) continue; /* gone since it was listed */
      if (child < 0) return unreadable(err, errno);
      int depth = f->depth + 1;
      size_t path_len = p->path_len;
      /* The parent has nothing left to go into: closed now, so a deep chain holds one fd. */
      if (f->dirs_pos >= f->dirs_len && f->eof) pop(p);
      if (p->top == p->cap) {
        struct frame *grown = realloc(p->stack, p->cap * 2 * sizeof *grown);
        if (grown == NULL) {
          syscall(SYS_close, child);
          return unreadable(err, ENOMEM);
        }
        p->stack = grown;
        p->cap *= 2;
      }
      p->stack[p->top++] = (struct frame){.fd = child, .depth = depth, .path_len = path_len};
      if ((*err = dir_id_of(child, &id)) != 0) return PROBE_UNREADABLE;
      if (id.dev != top_id.dev || (id.has_mnt && top_id.has_mnt && id.mnt != top_id.mnt)) return PROBE_MOUNT;
      if (depth >= PROBE_MAX_DEPTH) return unreadable(err, ELOOP);
      continue;
    }
    if (f->eof) {
      pop(p);
      continue;
    }
    free(f->dirs);
    f->dirs = NULL;
    f->dirs_len = f->dirs_pos = 0;
    long n = read_entries(f->fd, p->buf, SCAN_BYTES, &f->eof);
    p->path_len = f->path_len;
    if (n < 0) return unreadable(err, (int)-n);
    size_t subdirs = 0;
    for (long pos = 0; pos < n;) {
      struct kdirent64 *d = (struct kdirent64 *)(p->buf + pos);
      pos += d->d_reclen;
      if (is_dot(d->d_name)) continue;
      size_t len = strlen(d->d_name);
      bool is_dir = d->d_type == DT_DIR;
      if (d->d_type == DT_UNKNOWN) {
        struct stat st;
        RETRY(r, syscall(SYS_newfstatat, f->fd, d->d_name, &st, AT_SYMLINK_NOFOLLOW));
        if (r != 0 && errno == ENOENT) continue;
        if (r != 0) {
          *err = errno;
          if (!path_to(p, f->path_len, d->d_name, len)) *err = ENOMEM;
          return PROBE_UNREADABLE;
        }
        is_dir = S_ISDIR(st.st_mode);
      }
      if (listed(p->any, d->d_name, len) || (is_dir && listed(p->dir_only, d->d_name, len))) {
        if (!path_to(p, f->path_len, d->d_name, len)) return unreadable(err, ENOMEM);
        return PROBE_LISTED;
      }
      if (is_dir) {
        memcpy(p->subdirs + subdirs, d->d_name, len + 1);
        subdirs += len + 1;
      }
    }
    if (subdirs > 0) {
      f->dirs = malloc(subdirs);
      if (f->dirs == NULL) return unreadable(err, ENOMEM);
      memcpy(f->dirs, p->subdirs, subdirs);
      f->dirs_len = subdirs;
    }
  }
  return 0;
}

/*
 * probe(fd, names: Buffer, dirNames: Buffer) -> null | [path: Buffer, reason, errno]: walks the
 * whole tree below the directory fd, synchronously, and stops at the first entry that must stay:
 *   1  its name is one of names (any type of entry), or one of dirNames and it is a directory;
 *   2  it is a directory on another mount (st_dev, or the mount ID where statx reports one: a
 *      bind mount of the same filesystem has the same st_dev);
 *   3  it cannot be opened, listed or stat'ed (errno; an entry gone meanwhile is skipped), or it
 *      is PROBE_MAX_DEPTH levels down (ELOOP).
 * path is the entry's, relative to fd (raw bytes, '/' between names); empty when fd itself
 * cannot be opened again or listed. names and dirNames are lowercase names separated by NULs.
 * It is what a rename of the whole directory costs on top of one system call, on trees of a
 * million files: d_type decides each entry's type (an lstat only where it is DT_UNKNOWN), a
 * 32 KiB getdents64 buffer, one allocation per directory with subdirectories, none per entry.
 * Directories are opened relative to their parent's fd with O_NOFOLLOW (a link is never
 * entered); the stack is explicit, and a directory whose listing is done is closed before its
 * last subdirectory is entered, so a deep chain holds one fd at a time.
 */
static napi_value probe(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  int fd;
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 3) {
    napi_throw_type_error(env, NULL, "probe(fd, names, dirNames)");
    return NULL;
  }
  if (!get_fd(env, argv[0], "probe: fd must be a directory's fd (a whole number, 0 or more)", &fd)) return NULL;
  struct names any, dir_only;
  if (!parse_names(env, argv[1], "names", &any)) return NULL;
  if (!parse_names(env, argv[2], "dirNames", &dir_only)) {
    names_free(&any);
    return NULL;
  }
  struct probe p = {.any = &any, .dir_only = &dir_only, .cap = 64, .path_cap = 4096};
  p.buf = malloc(SCAN_BYTES);
  p.subdirs = malloc(SCAN_BYTES);
  p.path = malloc(p.path_cap);
  p.stack = malloc(p.cap * sizeof *p.stack);
  int reason = -1, err = 0;
  if (p.buf != NULL && p.subdirs != NULL && p.path != NULL && p.stack != NULL) reason = walk(&p, fd, &err);
  while (p.top > 0) pop(&p);
  free(p.buf);
  free(p.subdirs);
  free(p.stack);
  names_free(&any);
  names_free(&dir_only);
  napi_value r = NULL, v;
  if (reason < 0) {
    napi_throw_error(env, "ERR_NATIVE", "safe-purge native helper: out of memory");
  } else if (reason == 0) {
    if (napi_get_null(env, &r) != napi_ok) r = NULL;
  } else {
    void *data;
    napi_value path;
    if (napi_create_buffer_copy(env, p.path_len, p.path, &data, &path) != napi_ok || napi_create_array_with_length(env, 3, &r) != napi_ok ||
        napi_set_element(env, r, 0, path) != napi_ok || napi_create_int32(env, reason, &v) != napi_ok ||
        napi_set_element(env, r, 1, v) != napi_ok || napi_create_int32(env, err, &v) != napi_ok || napi_set_element(env, r, 2, v) != napi_ok) {
      r = NULL;
    }
  }
  free(p.path);
  if (r == NULL && reason >= 0) napi_throw_error(env, "ERR_NATIVE", "safe-purge native helper: cannot make probe's result");
  return r;
}

/* The POSIX ACLs a directory can carry: its own, and the one its new entries inherit. */
static const char *const ACL_XATTRS[] = {"system.posix_acl_access", "system.posix_acl_default"};

/*
 * dst's xattr `name` becomes src's: copied, or removed from dst when src has none (ENODATA) or
 * its filesystem has no such thing (EOPNOTSUPP). 0 or errno.
 */
static int copy_xattr(int src, int dst, const char *name) {
  long r;
  for (int tries = 0; tries < 8; tries++) {
    RETRY(r, syscall(SYS_fgetxattr, src, name, NULL, (size_t)0));
    char *value = NULL;
    if (r > 0) {
      size_t size = (size_t)r;
      if ((value = malloc(size)) == NULL) return ENOMEM;
      RETRY(r, syscall(SYS_fgetxattr, src, name, value, size));
      if (r < 0 && errno == ERANGE) { /* it grew since it was measured */
        free(value);
        continue;
      }
    }
    if (r < 0 && errno != ENODATA && errno != EOPNOTSUPP) {
      int e = errno;
      free(value);
      return e;
    }
    if (r < 0) { /* none, or gone since it was measured */
      free(value);
      RETRY(r, syscall(SYS_fremovexattr, dst, name));
      return r == 0 || errno == ENODATA || errno == EOPNOTSUPP ? 0 : errno;
    }
    RETRY(r, syscall(SYS_fsetxattr, dst, name, value != NULL ? value : "", (size_t)r, 0));
    free(value);
    return r == 0 ? 0 : errno;
  }
  return ERANGE;
}

static int clone_dir_meta(int src, int dst) {
  struct stat s, d;
  long r;
  RETRY(r, syscall(SYS_fstat, src, &s));
  if (r != 0) return errno;
  RETRY(r, syscall(SYS_fstat, dst, &d));
  if (r != 0) return errno;
  if (!S_ISDIR(s.st_mode) || !S_ISDIR(d.st_mode)) return ENOTDIR;
  /* Owner first: a chown clears the setgid bit that the chmod then sets. */
  if (s.st_uid != d.st_uid || s.st_gid != d.st_gid) {
    RETRY(r, syscall(SYS_fchown, dst, s.st_uid, s.st_gid));
    if (r != 0) return errno;
  }
  RETRY(r, syscall(SYS_fchmod, dst, s.st_mode & 07777));
  if (r != 0) return errno;
  for (size_t i = 0; i < sizeof ACL_XATTRS / sizeof *ACL_XATTRS; i++) {
    int e = copy_xattr(src, dst, ACL_XATTRS[i]);
    if (e != 0) return e;
  }
  /* An ACL sets the group bits (its mask), and can drop setgid for a caller outside the group
     without CAP_FSETID: what dst ended up with is checked, never assumed. */
  RETRY(r, syscall(SYS_fstat, dst, &d));
  if (r != 0) return errno;
  if (d.st_uid != s.st_uid || d.st_gid != s.st_gid) return EPERM;
  if ((d.st_mode & 07777) != (s.st_mode & 07777)) {
    RETRY(r, syscall(SYS_fchmod, dst, s.st_mode & 07777));
    if (r != 0) return errno;
    RETRY(r, syscall(SYS_fstat, dst, &d));
    if (r != 0) return errno;
    if ((d.st_mode & 07777) != (s.st_mode & 07777)) return EPERM;
  }
  return 0;
}

/*
 * cloneDirMeta(srcfd, dstfd) -> errno (number), 0 when done: directory dstfd gets directory
 * srcfd's owner and group (a chown only when they differ), its permission bits with setuid,
 * setgid and sticky (mode & 07777), and its POSIX ACLs (system.posix_acl_access and
 * system.posix_acl_default; one src has not is removed from dst, which may have inherited one).
 * It stops at the first error, and leaves undoing to JavaScript.
 */
static napi_value clone_dir_meta_js(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  int src, dst;
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 2) {
    napi_throw_type_error(env, NULL, "cloneDirMeta(srcfd, dstfd)");
    return NULL;
  }
  if (!get_fd(env, argv[0], "cloneDirMeta: srcfd must be a directory's fd (a whole number, 0 or more)", &src)) return NULL;
  if (!get_fd(env, argv[1], "cloneDirMeta: dstfd must be a directory's fd (a whole number, 0 or more)", &dst)) return NULL;
  napi_value v;
  CHECK(napi_create_int32(env, clone_dir_meta(src, dst), &v));
  return v;
}

NAPI_MODULE_INIT() {
  napi_value f;
  CHECK(napi_create_function(env, "scan", NAPI_AUTO_LENGTH, scan, NULL, &f));
  CHECK(napi_set_named_property(env, exports, "scan", f));
  CHECK(napi_create_function(env, "unlinkBatch", NAPI_AUTO_LENGTH, unlink_batch, NULL, &f));
  CHECK(napi_set_named_property(env, exports, "unlinkBatch", f));
  CHECK(napi_create_function(env, "flags", NAPI_AUTO_LENGTH, flags, NULL, &f));
  CHECK(napi_set_named_property(env, exports, "flags", f));
  CHECK(napi_create_function(env, "rename", NAPI_AUTO_LENGTH, rename_at, NULL, &f));
  CHECK(napi_set_named_property(env, exports, "rename", f));
  CHECK(napi_create_function(env, "probe", NAPI_AUTO_LENGTH, probe, NULL, &f));
  CHECK(napi_set_named_property(env, exports, "probe", f));
  CHECK(napi_create_function(env, "cloneDirMeta", NAPI_AUTO_LENGTH, clone_dir_meta_js, NULL, &f));
  CHECK(napi_set_named_property(env, exports, "cloneDirMeta", f));
  napi_value v;
  CHECK(napi_create_int32(env, 7, &v));
  CHECK(napi_set_named_property(env, exports, "abi", v));
  return exports;
}
