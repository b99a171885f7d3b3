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
 *
 * It never opens, chdirs or follows anything, and it removes only the names JavaScript hands it,
 * relative to a directory fd JavaScript opened with O_NOFOLLOW. unlinkat without AT_REMOVEDIR
 * never removes a directory, and removes a link as a link.
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
  uint64_t spare[14];
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
  /* Fill the buffer: a short directory is read to its end in this one call (eof saves a call). */
  long n = 0;
  for (;;) {
    long got;
    RETRY(got, syscall(SYS_getdents64, j->fd, buf + n, SCAN_BYTES - n));
    if (got < 0) {
      if (n > 0) break; /* report what was read; the error comes back on the next call */
      j->err = errno;
      free(buf);
      return;
    }
    if (got == 0) {
      j->eof = 1;
      break;
    }
    n += got;
    if (SCAN_BYTES - n < 1024) break;
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
  if (is_buffer) {
    void *data;
    size_t len;
    CHECK(napi_get_buffer_info(env, argv[1], &data, &len));
    name = malloc(len + 1);
    if (name == NULL) {
      napi_throw_error(env, "ERR_NATIVE", "safe-purge native helper: out of memory");
      return NULL;
    }
    /* Copy first, then check and use only the copy (see unlinkBatch). */
    if (len > 0) memcpy(name, data, len);
    name[len] = 0;
    const char *refused = NULL;
    if (memchr(name, 0, len) != NULL) refused = "flags: a name holds a NUL";
    else if (memchr(name, '/', len) != NULL) refused = "flags: a name holds a slash";
    else if (len == 0 || is_dot(name)) refused = "flags: an empty name, or . or ..";
    if (refused != NULL) {
      free(name);
      napi_throw_range_error(env, NULL, refused);
      return NULL;
    }
  }
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

NAPI_MODULE_INIT() {
  napi_value f;
  CHECK(napi_create_function(env, "scan", NAPI_AUTO_LENGTH, scan, NULL, &f));
  CHECK(napi_set_named_property(env, exports, "scan", f));
  CHECK(napi_create_function(env, "unlinkBatch", NAPI_AUTO_LENGTH, unlink_batch, NULL, &f));
  CHECK(napi_set_named_property(env, exports, "unlinkBatch", f));
  CHECK(napi_create_function(env, "flags", NAPI_AUTO_LENGTH, flags, NULL, &f));
  CHECK(napi_set_named_property(env, exports, "flags", f));
  napi_value v;
  CHECK(napi_create_int32(env, 6, &v));
  CHECK(napi_set_named_property(env, exports, "abi", v));
  return exports;
}
