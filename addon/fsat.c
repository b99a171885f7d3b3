/*
 * safe-purge's native helper (Node-API, Linux): the two hot loops of a walk, done in C against a
 * directory fd, so that no path is ever looked up and no link is ever followed.
 *
 *   scan(fd, withStat, async, restart)
 *                                   one getdents64 batch of the directory fd, each entry lstat'ed
 *                                   relative to fd (fstatat with AT_SYMLINK_NOFOLLOW) when withStat;
 *                                   on the libuv thread pool when async
 *   unlinkBatch(fd, names, async)    unlinkat(fd, name, 0) for each NUL-terminated name in names;
 *                                   on the libuv thread pool when async
 *
 * It never opens, chdirs or follows anything, and it removes only the names JavaScript hands it,
 * relative to a directory fd JavaScript opened with O_NOFOLLOW and keeps open until the call ends.
 * unlinkat without AT_REMOVEDIR never removes a directory, and removes a link as a link.
 *
 * System calls go through syscall(2), so the binary needs no glibc newer than 2.14 and loads on
 * every supported runner. Errors are returned as positive errno numbers, never thrown.
 */
#define _GNU_SOURCE
#define NAPI_VERSION 8
#include <errno.h>
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
#define META 7

struct kdirent64 {
  uint64_t d_ino;
  int64_t d_off;
  unsigned short d_reclen;
  unsigned char d_type;
  char d_name[];
};

#define CHECK(call)                                                                                \
  do {                                                                                             \
    if ((call) != napi_ok) {                                                                       \
      napi_throw_error(env, "ERR_NATIVE", "safe-purge native helper: " #call " failed");           \
      return NULL;                                                                                 \
    }                                                                                              \
  } while (0)

static int is_dot(const char *n) { return n[0] == '.' && (n[1] == 0 || (n[1] == '.' && n[2] == 0)); }

/*
 * scan(fd, withStat, async, restart) -> null at the end of the directory | errno (number) |
 *   [names: Buffer, meta: Float64Array, eof: boolean] (or a Promise of one of those, when async);
 * eof says the directory was read to its end (no further call is needed).
 * names holds each entry's name followed by a NUL; meta holds, per entry: offset of the name in
 * names, its length, errno of the lstat (0 = ok), st_mode, st_size, st_dev, st_ino. Without
 * withStat there is no lstat: st_mode holds only the type bits from d_type (0 when unknown) and
 * the other numbers are 0. restart begins at the first entry (each listing of an fd passes it
 * on its first call; later calls continue where the last one stopped).
 */
struct scanjob {
  int fd;
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
  char *buf = malloc(SCAN_BYTES);
  if (buf == NULL) {
    j->err = ENOMEM;
    return;
  }
  if (j->restart && syscall(SYS_lseek, j->fd, 0L, SEEK_SET) != 0) {
    j->err = errno;
    free(buf);
    return;
  }
  /* Fill the buffer: a short directory is read to its end in this one call (eof saves a call). */
  long n = 0;
  for (;;) {
    long got = syscall(SYS_getdents64, j->fd, buf + n, SCAN_BYTES - n);
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
    e[2] = e[4] = e[5] = e[6] = 0;
    e[3] = dtype_mode(d->d_type);
    if (j->with_stat) {
      struct stat st;
      if (syscall(SYS_newfstatat, j->fd, d->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
        e[2] = errno;
        e[3] = 0;
      } else {
        e[3] = (double)st.st_mode;
        e[4] = (double)st.st_size;
        e[5] = (double)st.st_dev;
        e[6] = (double)st.st_ino;
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
  napi_value pending, msg, err;
  if (napi_get_and_clear_last_exception(env, &pending) == napi_ok && pending != NULL) {
    napi_valuetype t;
    if (napi_typeof(env, pending, &t) == napi_ok && t != napi_undefined) {
      napi_reject_deferred(env, deferred, pending);
      return;
    }
  }
  napi_create_string_utf8(env, what, NAPI_AUTO_LENGTH, &msg);
  napi_create_error(env, NULL, msg, &err);
  napi_reject_deferred(env, deferred, err);
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
  int32_t fd;
  bool with_stat, async, restart;
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 4) {
    napi_throw_type_error(env, NULL, "scan(fd, withStat, async, restart)");
    return NULL;
  }
  CHECK(napi_get_value_int32(env, argv[0], &fd));
  CHECK(napi_get_value_bool(env, argv[1], &with_stat));
  CHECK(napi_get_value_bool(env, argv[2], &async));
  CHECK(napi_get_value_bool(env, argv[3], &restart));
  struct scanjob *j = calloc(1, sizeof *j);
  if (j == NULL) {
    napi_throw_error(env, "ERR_NATIVE", "safe-purge native helper: out of memory");
    return NULL;
  }
  j->fd = fd;
  j->with_stat = with_stat;
  j->restart = restart;
  if (!async) {
    do_scan(j);
    napi_value r = scan_result(env, j);
    scanjob_free(j);
    return r;
  }
  napi_value promise;
  if (!queue(env, "safe-purge:scan", scan_execute, scan_complete, j, &j->deferred, &j->work, &promise)) scanjob_free(j);
  return promise;
}

struct batch {
  int fd;
  size_t count;
  char *names;  /* count NUL-terminated names, back to back (a copy: JS may reuse its buffer) */
  int32_t *errs;
  napi_async_work work;
  napi_deferred deferred;
};

static void unlink_all(struct batch *b) {
  const char *p = b->names;
  for (size_t i = 0; i < b->count; i++) {
    b->errs[i] = syscall(SYS_unlinkat, b->fd, p, 0) == 0 ? 0 : errno;
    p += strlen(p) + 1;
  }
}

static void batch_free(struct batch *b) {
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
  int32_t fd;
  bool async;
  void *names;
  size_t names_len;
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 3) {
    napi_throw_type_error(env, NULL, "unlinkBatch(fd, names, async)");
    return NULL;
  }
  CHECK(napi_get_value_int32(env, argv[0], &fd));
  CHECK(napi_get_buffer_info(env, argv[1], &names, &names_len));
  CHECK(napi_get_value_bool(env, argv[2], &async));
  /* The buffer must end with a NUL; no name may be empty, ".", ".." or hold a "/" (a name is one
     entry of the directory, never a path that could lead elsewhere). */
  const char *p0 = names;
  size_t count = 0;
  if (names_len == 0 || p0[names_len - 1] != 0) {
    napi_throw_range_error(env, NULL, "unlinkBatch: names must be NUL-terminated");
    return NULL;
  }
  for (size_t i = 0, start = 0; i < names_len; i++) {
    if (p0[i] == '/') {
      napi_throw_range_error(env, NULL, "unlinkBatch: a name holds a slash");
      return NULL;
    }
    if (p0[i] != 0) continue;
    if (i == start || is_dot(p0 + start)) {
      napi_throw_range_error(env, NULL, "unlinkBatch: an empty name, or . or ..");
      return NULL;
    }
    count++;
    start = i + 1;
  }
  struct batch *b = calloc(1, sizeof *b);
  if (b != NULL) {
    b->names = malloc(names_len);
    b->errs = malloc(count * sizeof(int32_t));
  }
  if (b == NULL || b->names == NULL || b->errs == NULL) {
    if (b != NULL) batch_free(b);
    napi_throw_error(env, "ERR_NATIVE", "safe-purge native helper: out of memory");
    return NULL;
  }
  b->fd = fd;
  b->count = count;
  memcpy(b->names, names, names_len);
  if (!async) {
    unlink_all(b);
    napi_value r = batch_result(env, b);
    batch_free(b);
    return r;
  }
  napi_value promise;
  if (!queue(env, "safe-purge:unlinkBatch", batch_execute, batch_complete, b, &b->deferred, &b->work, &promise)) batch_free(b);
  return promise;
}

NAPI_MODULE_INIT() {
  napi_value f;
  CHECK(napi_create_function(env, "scan", NAPI_AUTO_LENGTH, scan, NULL, &f));
  CHECK(napi_set_named_property(env, exports, "scan", f));
  CHECK(napi_create_function(env, "unlinkBatch", NAPI_AUTO_LENGTH, unlink_batch, NULL, &f));
  CHECK(napi_set_named_property(env, exports, "unlinkBatch", f));
  napi_value v;
  CHECK(napi_create_int32(env, 5, &v));
  CHECK(napi_set_named_property(env, exports, "abi", v));
  return exports;
}
