/**
 * Real parts for the privileged pass's tests: ordinary users to run safe-purge as, a real sudo
 * rule for one of them, a node image for the container form of the pass, and root-owned (or
 * 999-owned) files written by real containers, the way a stack leaves them in logs/ or data/redis/.
 *
 * - Users (made on demand, kept for the next run; never deleted here):
 *     sp-sudo    gets a NOPASSWD rule, only inside withSudoRule(); never in the docker group.
 *     sp-docker  in the docker group; never gets a sudo rule.
 *     sp-plain   neither.
 *   They are system users with no home (HOME is a temp dir per run), uids and gids below 999 so
 *   that none of them is the uid a container writes as (CONTAINER_UID).
 * - Every run as a user uses the machine's node (systemNode(): process.execPath may be the Node 24
 *   of node_modules, inside a clone another uid cannot enter) and a readable COPY of dist/, from a
 *   readable working directory: a clone may sit in a private (0700) folder.
 * - Several jest workers may call these at once: user creation, sudo rules and the image build
 *   each hold an exclusive flock(2) lock (util-linux `flock`) on a file in /run/lock. A sudo rule
 *   is held for as long as its callback runs, so no other test sees a rule it did not write.
 *
 * Gates: privilegedGate() skips (with the reason in the title) when not root; as root it skips
 * when docker or sudo is missing, unless SAFE_PURGE_REQUIRE_DOCKER=1, which turns that into a
 * failing test (CI: `.ci/run`, root, nothing may skip). Prepare a machine with
 * .ci/docker-setup.sh then .ci/privileged-setup.sh (sudo).
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import crypto from 'node:crypto'
import { spawnSync } from 'node:child_process'
import { DIST, REPO, runAction, systemNode, walkerEnv, type ActionRun } from './action.js'
import { TEST_IMAGE, must, sh, which, type Sh } from './docker.js'
import { makeTree, removeDir, sleepSync, tempDir, type TreeSpec } from './tree.js'

/** The image the container pass runs in the tests: a rootfs holding only this machine's node. */
export const NODE_IMAGE = 'safe-purge-node:test'
/** The label on NODE_IMAGE naming the node it holds (`<version> <path>`): another node rebuilds it. */
export const NODE_IMAGE_LABEL = 'safe-purge.test-node'
/** The uid (and gid) containerWrites(..., { user: CONTAINER_USER }) writes as, like redis's. */
export const CONTAINER_UID = 999
export const CONTAINER_USER = `${CONTAINER_UID}:${CONTAINER_UID}`
/** CI (`.ci/run`, root): a missing daemon, image or sudo fails instead of skipping. */
export const REQUIRED = process.env.SAFE_PURGE_REQUIRE_DOCKER === '1'
/** Where every sudo rule of these tests goes; `safe-purge-test-<user>`. */
export const SUDOERS_DIR = '/etc/sudoers.d'
/** Standard system directories: the tail of a user's PATH, and where sudo, visudo, useradd are looked for. */
const SYSTEM_PATH = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin']

export type UserKind = 'sudo' | 'docker' | 'plain'
export const USER_NAMES: Readonly<Record<UserKind, string>> = { sudo: 'sp-sudo', docker: 'sp-docker', plain: 'sp-plain' }

export interface TestUser {
  kind: UserKind
  name: string
  uid: number
  /**
   * The gid to spawn with (spawn's `gid`, runAction's `asUser.gid`). Node's spawn with uid/gid
   * from root drops every supplementary group (libuv calls setgroups(0)), so for sp-docker this
   * is the docker group's gid, the only way its process can reach the docker socket; for the
   * others it is their own group.
   */
  gid: number
  /** The user's own group (what treeFor() chowns to). */
  primaryGid: number
  /** Every group the user is in (`id -G`), its own group first. */
  groups: number[]
}

export interface PrivilegedSupport {
  /** Everything is there: root, a docker daemon with the test image and a docker group, and sudo. */
  ok: boolean
  /** Why not ('' when ok): each missing part, '; '-separated. */
  reason: string
  root: boolean
  /** sudo is installed setuid root and reads /etc/sudoers.d (the sudo cases). */
  sudo: boolean
  /** A docker daemon answers, the docker group exists and safe-purge-test:latest is there. */
  docker: boolean
  sudoReason: string
  dockerReason: string
}

const isRoot = (): boolean => process.getuid?.() === 0

/** `command` on PATH or in the system directories (visudo and useradd live in sbin), or null. */
function findTool(command: string): string | null {
  return which(command, { PATH: [...(process.env.PATH ?? '').split(':'), ...SYSTEM_PATH].filter(Boolean).join(':') })
}

function lastLine(s: string): string {
  return s.split('\n').map((l) => l.trim()).filter(Boolean).slice(-1)[0] ?? ''
}

/** /etc/sudoers reads /etc/sudoers.d (`@includedir`, or the older `#includedir`). */
function sudoersIncludesDir(): boolean {
  try {
    return /^\s*[@#]includedir\s+\/etc\/sudoers\.d\s*$/m.test(fs.readFileSync('/etc/sudoers', 'utf8'))
  } catch {
    return false
  }
}

function groupGid(name: string): number | null {
  const r = sh('getent', ['group', name])
  if (r.status !== 0) return null
  return Number(r.stdout.split(':')[2])
}

function sudoProblem(): string {
  const sudo = findTool('sudo')
  if (sudo === null) return 'sudo is not installed (run .ci/privileged-setup.sh)'
  const st = fs.statSync(sudo)
  if (st.uid !== 0 || (st.mode & 0o4000) === 0) return `${sudo} is not setuid root`
  if (!sudoersIncludesDir()) return '/etc/sudoers does not include /etc/sudoers.d (run .ci/privileged-setup.sh)'
  return ''
}

function dockerProblem(): string {
  const server = sh('docker', ['version', '--format', '{{.Server.Version}}'], { timeoutMs: 15000 })
  if (server.status !== 0) return `no docker daemon answers (docker version: ${lastLine(server.stderr) || `exit ${server.status}`})`
  if (groupGid('docker') === null) return 'there is no docker group on this machine'
  if (sh('docker', ['image', 'inspect', TEST_IMAGE], { timeoutMs: 15000 }).status !== 0) return `the image ${TEST_IMAGE} does not exist (run .ci/docker-setup.sh)`
  return ''
}

const NOT_ROOT = 'not root (these tests create users and sudo rules, and run as other uids)'
const TOOLS = ['useradd', 'usermod', 'gpasswd', 'id', 'getent', 'flock', 'chown', 'ldd', 'tar']

/** Root, and the tools every helper here needs; '' when both are there. */
function baseProblem(): string {
  return [...(isRoot() ? [] : [NOT_ROOT]), ...TOOLS.filter((t) => findTool(t) === null).map((t) => `${t} is not installed`)].join('; ')
}

let support: PrivilegedSupport | null = null

/** What this machine offers the privileged tests (computed once per test file). */
export function privilegedSupport(): PrivilegedSupport {
  if (support !== null) return support
  const dockerReason = dockerProblem()
  const sudoReason = sudoProblem()
  const reason = [baseProblem(), dockerReason, sudoReason].filter(Boolean).join('; ')
  support = { ok: reason === '', reason, root: isRoot(), sudo: sudoReason === '', docker: dockerReason === '', sudoReason, dockerReason }
  return support
}

export interface Needs {
  /** The daemon, the docker group and the busybox test image (default true). */
  docker?: boolean
  /** sudo (default false). */
  sudo?: boolean
}

export interface Gate {
  /** The tests run. */
  run: boolean
  /** Why they do not ('' when they do). */
  reason: string
  describe: (title: string, fn: () => void) => void
  test: (title: string, fn: jest.ProvidesCallback, timeout?: number) => void
}

/**
 * describe/test for the privileged tests. Not root: skipped, whatever SAFE_PURGE_REQUIRE_DOCKER
 * says (like the repository's other root-only tests; the root CI runs them). Root with a part
 * missing: skipped with the reason in the title, or, with SAFE_PURGE_REQUIRE_DOCKER=1, one
 * failing test that says what is missing (CI must run them all).
 */
export function privilegedGate(needs: Needs = {}): Gate {
  const s = privilegedSupport()
  const missing = [baseProblem(), (needs.docker ?? true) ? s.dockerReason : '', needs.sudo ? s.sudoReason : ''].filter(Boolean)
  const reason = missing.join('; ')
  if (reason === '') return { run: true, reason: '', describe: (t, fn) => describe(t, fn), test: (t, fn, timeout) => test(t, fn, timeout) }
  if (s.root && REQUIRED) {
    const fail = (): never => {
      throw new Error(`SAFE_PURGE_REQUIRE_DOCKER=1 but ${reason}: run .ci/docker-setup.sh and .ci/privileged-setup.sh as root`)
    }
    return {
      run: false,
      reason,
      describe: (t) => describe(t, () => test('its requirements are there (SAFE_PURGE_REQUIRE_DOCKER=1)', fail)),
      test: (t) => test(t, fail)
    }
  }
  const skipped = (t: string): string => `${t} (skipped: ${reason}${s.root ? '; SAFE_PURGE_REQUIRE_DOCKER=1 fails instead' : ''})`
  return { run: false, reason, describe: (t, fn) => describe.skip(skipped(t), fn), test: (t, fn, timeout) => test.skip(skipped(t), fn, timeout) }
}

// ---- cross-process locks ---------------------------------------------------------------------

const LOCK_DIR = fs.existsSync('/run/lock') ? '/run/lock' : os.tmpdir()
const heldLocks = new Map<string, { fd: number; depth: number }>()

/**
 * Runs `after` once `run` is done: at once when it returns a value or throws, when its promise
 * settles when it returns one (a sudo rule, a lock, stays for as long as an async callback runs).
 */
function finallyDo<T>(run: () => T, after: () => void): T {
  let result: T
  try {
    result = run()
  } catch (e) {
    after()
    throw e
  }
  if (result instanceof Promise) return result.finally(after) as unknown as T
  after()
  return result
}

/**
 * Holds the exclusive flock(2) lock `<LOCK_DIR>/safe-purge-test-<name>.lock` while `fn` runs.
 * `flock -x 3` locks the open file description this process shares with it, so the lock stays
 * after flock exits and goes with our descriptor: on close, or when the worker dies. Reentrant
 * within a process (a second descriptor would wait for the first).
 */
function withLock<T>(name: string, fn: () => T): T {
  const held = heldLocks.get(name)
  if (held) {
    held.depth++
    return finallyDo(fn, () => void held.depth--)
  }
  const file = path.join(LOCK_DIR, `safe-purge-test-${name}.lock`)
  const fd = fs.openSync(file, 'a', 0o600)
  const r = spawnSync('flock', ['-x', '-w', '600', '3'], { stdio: ['ignore', 'ignore', 'pipe', fd], encoding: 'utf8' })
  if (r.status !== 0) {
    fs.closeSync(fd)
    throw new Error(`could not lock ${file} (flock: ${r.error?.message ?? (r.stderr.trim() || `exit ${r.status}`)})`)
  }
  const entry = { fd, depth: 1 }
  heldLocks.set(name, entry)
  return finallyDo(fn, () => {
    if (--entry.depth === 0) {
      heldLocks.delete(name)
      fs.closeSync(fd)
    }
  })
}

// ---- users -----------------------------------------------------------------------------------

/**
 * Creates the user when missing and puts it in (sp-docker) or out of (the others) the docker
 * group. Idempotent, so a run that lost a race (useradd: "cannot lock /etc/passwd", or a user
 * another process just created) is simply run again. Uids and gids stay below 999 (-K): a
 * system user would otherwise get 999, the uid containers write as.
 */
const USER_SCRIPT = `set -eu
name=$1 kind=$2
shell=/usr/sbin/nologin
[ -x "$shell" ] || shell=/bin/false
if ! getent passwd "$name" >/dev/null; then
  if getent group "$name" >/dev/null; then own="-g"; else own="-U"; fi
  if [ "$own" = -g ]; then
    useradd --system --no-create-home --home-dir /nonexistent --shell "$shell" -K SYS_UID_MAX=998 -K SYS_GID_MAX=998 -g "$name" "$name"
  else
    useradd --system --no-create-home --home-dir /nonexistent --shell "$shell" -K SYS_UID_MAX=998 -K SYS_GID_MAX=998 -U "$name"
  fi
fi
in_docker() { id -Gn "$name" | tr ' ' '\\n' | grep -qx docker; }
if [ "$kind" = docker ]; then
  getent group docker >/dev/null || { echo "there is no docker group on this machine (install docker: .ci/docker-setup.sh)" >&2; exit 3; }
  in_docker || usermod -aG docker "$name"
elif getent group docker >/dev/null && in_docker; then
  gpasswd -d "$name" docker >/dev/null
fi
`

const users = new Map<UserKind, TestUser>()

/** sp-sudo, sp-docker or sp-plain, created when missing (see USER_SCRIPT); safe from several workers at once. */
export function ensureUser(kind: UserKind): TestUser {
  const cached = users.get(kind)
  if (cached) return cached
  if (!isRoot()) throw new Error('ensureUser needs root')
  const name = USER_NAMES[kind]
  const env = { ...process.env, PATH: [...SYSTEM_PATH, process.env.PATH ?? ''].join(':') }
  withLock('users', () => {
    for (let attempt = 1; ; attempt++) {
      const r = sh('sh', ['-c', USER_SCRIPT, 'sh', name, kind], { env })
      if (r.status === 0) return
      if (r.status === 3 || attempt === 5) throw new Error(`could not set up the user ${name}: ${r.stderr.trim() || `exit ${r.status}`}`)
      sleepSync(200 * attempt)
    }
  })
  const id = (flag: string): number[] => must('id', [flag, name]).trim().split(/\s+/).map(Number)
  const uid = id('-u')[0]
  const primaryGid = id('-g')[0]
  const groups = id('-G')
  if (uid === CONTAINER_UID || primaryGid === CONTAINER_UID) {
    throw new Error(`${name} has uid/gid ${uid}/${primaryGid}: ${CONTAINER_UID} is the container uid these tests write as; remove the user (userdel ${name}) so it is made again below it`)
  }
  let gid = primaryGid
  if (kind === 'docker') {
    gid = groupGid('docker') as number
    if (!groups.includes(gid)) throw new Error(`${name} is not in the docker group (${gid}): id -G says ${groups.join(' ')}`)
  }
  const user: TestUser = { kind, name, uid, gid, primaryGid, groups }
  if (kind === 'docker' && sh('docker', ['version', '--format', '{{.Server.Version}}'], { timeoutMs: 15000 }).status === 0) {
    // The daemon answers root: it must answer this user too, through the docker group.
    const r = runAs(user, 'docker', ['version', '--format', '{{.Server.Version}}'])
    if (r.status !== 0) throw new Error(`docker version fails as ${name} (uid ${uid}, gid ${gid}): ${r.stderr.trim()}`)
  }
  users.set(kind, user)
  return user
}

/** PATH for a run as a test user: the machine's node, docker, docker-compose and sudo first, then the system directories; nothing inside the clone. */
export function userPath(): string {
  const extra: string[] = []
  try {
    extra.push(path.dirname(systemNode()))
  } catch {
    // no node outside node_modules: nodeFor() says so
  }
  for (const tool of ['docker', 'docker-compose', 'sudo']) {
    const p = findTool(tool)
    if (p !== null) extra.push(path.dirname(p))
  }
  const inRepo = (d: string): boolean => d === REPO || d.startsWith(`${REPO}${path.sep}`)
  return [...new Set([...extra.filter((d) => !inRepo(d)), ...SYSTEM_PATH])].join(':')
}

/** The env of a run as `user`: PATH (userPath()), HOME (/nonexistent unless given), USER, LOGNAME, the walker switch, `extra`. */
export function userEnv(user: TestUser, extra: Record<string, string> = {}): Record<string, string> {
  return { PATH: userPath(), HOME: '/nonexistent', USER: user.name, LOGNAME: user.name, ...walkerEnv(), ...extra }
}

/** Runs `command` (no shell) as the user's uid and spawn gid, from `cwd` (default /), with userEnv(); never throws. */
export function runAs(user: TestUser, command: string, args: readonly string[], opts: { cwd?: string; env?: Record<string, string>; input?: string; timeoutMs?: number } = {}): Sh {
  const r = spawnSync(command, args, {
    cwd: opts.cwd ?? '/',
    env: userEnv(user, opts.env),
    input: opts.input ?? '',
    uid: user.uid,
    gid: user.gid,
    encoding: 'utf8',
    timeout: opts.timeoutMs ?? 60000
  })
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.error ? `${r.error.message}\n${r.stderr ?? ''}` : (r.stderr ?? '') }
}

const nodes = new Map<number, string>()

/** The node a run as `user` uses: the machine's (systemNode()), checked to run as that uid. */
export function nodeFor(user: TestUser): string {
  const known = nodes.get(user.uid)
  if (known) return known
  const node = systemNode()
  const r = runAs(user, node, ['-e', 'process.stdout.write(process.version)'])
  if (r.status !== 0) throw new Error(`${node} does not run as ${user.name}: ${r.stderr.trim() || `exit ${r.status}`}`)
  nodes.set(user.uid, node)
  return node
}

// ---- sudo ------------------------------------------------------------------------------------

export function sudoersFile(user: TestUser): string {
  return path.join(SUDOERS_DIR, `safe-purge-test-${user.name}`)
}

/** `sudo -n <args>` as the user (sudo never prompts: no rule, no password-less rule, it fails). */
export function sudoAs(user: TestUser, args: readonly string[], opts: { env?: Record<string, string>; input?: string } = {}): Sh {
  return runAs(user, findTool('sudo') ?? 'sudo', ['-n', ...args], opts)
}

export function sudoWorks(user: TestUser): boolean {
  return sudoAs(user, ['true']).status === 0
}

/**
 * Runs `fn` while `/etc/sudoers.d/safe-purge-test-<user>` says `<user> ALL=(root) NOPASSWD: ALL`
 * (only sp-sudo may get one), and removes it after, also when `fn` throws or its promise rejects.
 * Under the sudo lock: no other test's rule is there meanwhile, and a rule an interrupted run
 * left is removed first. Checks that `sudo -n true` fails before the rule and works with it.
 */
export function withSudoRule<T>(user: TestUser, fn: () => T): T {
  if (user.kind !== 'sudo') throw new Error(`${user.name} never gets a sudo rule: only ${USER_NAMES.sudo} does`)
  if (!sudoersIncludesDir()) throw new Error('/etc/sudoers does not include /etc/sudoers.d: run .ci/privileged-setup.sh')
  return withLock('sudo', () => {
    const file = sudoersFile(user)
    fs.rmSync(file, { force: true })
    const before = sudoAs(user, ['true'])
    if (before.status === 0) throw new Error(`sudo -n true already works for ${user.name} without ${file}: another sudoers rule grants it`)
    // A name with a dot is skipped by @includedir: the rule is complete and checked before it counts.
    const draft = path.join(SUDOERS_DIR, `.safe-purge-test-${user.name}.${process.pid}`)
    fs.writeFileSync(draft, `${user.name} ALL=(root) NOPASSWD: ALL\n`, { mode: 0o440 })
    fs.chmodSync(draft, 0o440)
    const visudo = findTool('visudo')
    if (visudo !== null) {
      const check = sh(visudo, ['-cqf', draft])
      if (check.status !== 0) {
        fs.rmSync(draft, { force: true })
        throw new Error(`visudo -cf rejects the rule for ${user.name}: ${check.stderr.trim() || check.stdout.trim()}`)
      }
    }
    fs.renameSync(draft, file)
    return finallyDo(
      () => {
        const r = sudoAs(user, ['true'])
        if (r.status !== 0) throw new Error(`sudo -n true fails for ${user.name} with ${file}: ${r.stderr.trim() || `exit ${r.status}`}`)
        return fn()
      },
      () => fs.rmSync(file, { force: true })
    )
  })
}

/** Runs `fn` while no rule of these tests is there (under the sudo lock; a leftover rule is removed first). */
export function withoutSudoRule<T>(user: TestUser, fn: () => T): T {
  return withLock('sudo', () => {
    fs.rmSync(sudoersFile(user), { force: true })
    return fn()
  })
}

// ---- node image ------------------------------------------------------------------------------

/** The absolute paths `ldd` lists for `file` (libraries and the dynamic loader); [] for a static one. */
function sharedLibraries(file: string): string[] {
  const r = sh('ldd', [file])
  if (r.status !== 0) {
    if (/not a dynamic executable|statically linked/.test(r.stdout + r.stderr)) return []
    throw new Error(`ldd ${file} failed: ${r.stderr.trim()}`)
  }
  const out: string[] = []
  for (const line of r.stdout.split('\n')) {
    if (/not found/.test(line)) throw new Error(`ldd ${file}: ${line.trim()}`)
    const m = /=>\s*(\/\S+)/.exec(line) ?? /^\s*(\/\S+)\s+\(/.exec(line)
    if (m) out.push(m[1])
  }
  return out
}

function imageField(image: string, format: string): string | null {
  const r = sh('docker', ['image', 'inspect', '--format', format, image], { timeoutMs: 30000 })
  return r.status === 0 ? r.stdout.trim() : null
}

/** Runs `node -e <code>` in `image` the way the pass does: no network, read-only, root, no capabilities. */
export function nodeInImage(image: string, code: string): Sh {
  return sh('docker', ['run', '--rm', '--network', 'none', '--read-only', '--user', '0:0', '--cap-drop', 'ALL', image, 'node', '-e', code], { timeoutMs: 60000 })
}

/**
 * safe-purge-node:test, built when missing (or holding another node) with `docker import` from a
 * root filesystem of: this process's node (process.execPath, realpath'd) at /usr/local/bin/node,
 * every library ldd lists for it and for dist/native's helper (same paths, the loader too), an
 * /etc/passwd and /etc/group with root only, /tmp, and the pass's mount points /env and
 * /safe-purge; PATH=/usr/local/bin:/usr/bin:/bin. Built under a temp tag, checked to run node
 * (--network none --read-only --user 0:0 --cap-drop ALL), then tagged; the rootfs is removed.
 */
export function ensureNodeImage(): string {
  const node = fs.realpathSync(process.execPath)
  const want = `${process.version} ${node}`
  const label = `{{index .Config.Labels ${JSON.stringify(NODE_IMAGE_LABEL)}}}`
  if (imageField(NODE_IMAGE, label) === want) return NODE_IMAGE
  return withLock('node-image', () => {
    if (imageField(NODE_IMAGE, label) === want) return NODE_IMAGE
    const previous = imageField(NODE_IMAGE, '{{.Id}}')
    const temp = `safe-purge-node:build-${process.pid}-${crypto.randomBytes(3).toString('hex')}`
    const rootfs = tempDir('sp-nodefs-')
    try {
      const put = (file: string, dest = file): void => {
        const target = path.join(rootfs, dest)
        fs.mkdirSync(path.dirname(target), { recursive: true })
        fs.copyFileSync(fs.realpathSync(file), target)
        fs.chmodSync(target, 0o755)
      }
      put(node, '/usr/local/bin/node')
      const native = path.join(path.dirname(DIST), 'native')
      const helpers = fs.existsSync(native) ? fs.readdirSync(native).filter((f) => f.endsWith('.node')).map((f) => path.join(native, f)) : []
      for (const lib of new Set([node, ...helpers].flatMap(sharedLibraries))) put(lib)
      for (const dir of ['etc', 'root', 'tmp', 'proc', 'sys', 'dev', 'env', 'safe-purge']) fs.mkdirSync(path.join(rootfs, dir), { recursive: true })
      fs.chmodSync(path.join(rootfs, 'tmp'), 0o1777)
      fs.chmodSync(path.join(rootfs, 'root'), 0o700)
      fs.writeFileSync(path.join(rootfs, 'etc/passwd'), 'root:x:0:0:root:/root:/usr/sbin/nologin\n')
      fs.writeFileSync(path.join(rootfs, 'etc/group'), 'root:x:0:\n')
      must('bash', ['-c', 'set -o pipefail; tar --numeric-owner --owner=0 --group=0 -C "$1" -c . | docker import --change "$3" --change "$4" - "$2"', 'bash', rootfs, temp,
        'ENV PATH=/usr/local/bin:/usr/bin:/bin', `LABEL ${NODE_IMAGE_LABEL}=${JSON.stringify(want)}`], { timeoutMs: 300000 })
    } finally {
      removeDir(rootfs)
    }
    try {
      const r = nodeInImage(temp, 'process.stdout.write(process.version)')
      if (r.status !== 0 || r.stdout !== process.version) throw new Error(`the new node image does not run node ${process.version}: ${r.stderr.trim() || r.stdout}`)
      must('docker', ['tag', temp, NODE_IMAGE])
    } finally {
      sh('docker', ['rmi', temp]) // only the temp tag when NODE_IMAGE names the same image
    }
    // The image it replaces (another node), unless a container still uses it.
    if (previous !== null && previous !== imageField(NODE_IMAGE, '{{.Id}}')) sh('docker', ['rmi', previous])
    return NODE_IMAGE
  })
}

// ---- files made by containers ----------------------------------------------------------------

/**
 * Runs `sh -c script` in the busybox test image with `root` at /w (the working directory), as
 * root, or as `opts.user` (e.g. CONTAINER_USER): what it creates is owned as a real stack's
 * containers leave it. No network. Returns stdout; throws when the script fails.
 */
export function containerWrites(root: string, script: string, opts: { user?: string } = {}): string {
  return must('docker', ['run', '--rm', '--network', 'none', '-v', `${root}:/w`, '-w', '/w', ...(opts.user ? ['--user', opts.user] : []), TEST_IMAGE, 'sh', '-c', script], { timeoutMs: 60000 })
}

// ---- trees -----------------------------------------------------------------------------------

function chownTree(dir: string, user: TestUser): void {
  must('chown', ['-R', '--no-dereference', `${user.uid}:${user.primaryGid}`, dir])
}

/**
 * A new environment root for `user`: a temp dir (0755) with `spec` in it, all owned by the user
 * (its own group). Checked writable as that user, so its parents are traversable. Remove it
 * with removeTree().
 */
export function treeFor(user: TestUser, spec: TreeSpec = {}): string {
  const dir = tempDir('sp-privtree-')
  try {
    makeTree(dir, spec)
    fs.chmodSync(dir, 0o755)
    chownTree(dir, user)
    const r = runAs(user, 'test', ['-w', dir])
    if (r.status !== 0) throw new Error(`${dir} is not writable by ${user.name}: a parent of it is not traversable (os.tmpdir() is ${os.tmpdir()})`)
    return dir
  } catch (e) {
    removeTree(dir)
    throw e
  }
}

/**
 * Removes a tree under os.tmpdir() whatever owns it (as root): when a plain recursive removal
 * fails, the immutable and append-only flags are cleared (chattr -R -i -a; symlinks are not
 * followed) and it is removed again. Refuses anything outside os.tmpdir().
 */
export function removeTree(dir: string): void {
  const abs = path.resolve(dir)
  const tmp = path.resolve(os.tmpdir())
  if (!abs.startsWith(`${tmp}${path.sep}`)) throw new Error(`removeTree: ${abs} is not under ${tmp}`)
  try {
    fs.rmSync(abs, { recursive: true, force: true })
    return
  } catch {
    // immutable or append-only entries: clear the flags below
  }
  const chattr = findTool('chattr')
  if (chattr !== null) spawnSync(chattr, ['-R', '-f', '-i', '-a', abs], { stdio: 'ignore' })
  fs.rmSync(abs, { recursive: true, force: true })
}

/** A new temp dir (0700) owned by the user, for HOME; remove it with removeTree(). */
export function homeFor(user: TestUser): string {
  const dir = tempDir('sp-home-')
  fs.chownSync(dir, user.uid, user.primaryGid)
  return dir
}

// ---- the bundle, run as a user ---------------------------------------------------------------

let distCopy: string | null = null
/** Temp dirs made for a whole test file (the dist copy, the action runs' scratch), removed by cleanupPrivileged(). */
const leftovers = new Set<string>()

/**
 * Removes what this helper made for the test file: the readable dist/ copy and the action runs'
 * scratch dirs. Registered with afterAll when a test file imports this module (a jest worker's
 * process.on('exit') does not run for it); calling it again is harmless. Users, the node image
 * and the lock files stay for the next run; sudo rules never outlive their callback.
 */
export function cleanupPrivileged(): void {
  for (const dir of leftovers) removeTree(dir)
  leftovers.clear()
  distCopy = null
}
if (typeof afterAll === 'function') afterAll(cleanupPrivileged)

/**
 * A copy of dist/ that every uid can read (`<tempdir>/dist`, made once per test file, removed
 * after it by cleanupPrivileged()): what the runs as a user load, what `sudo -n <node> <dist>/cli/index.js` runs, and
 * what the container pass mounts at /safe-purge.
 */
export function readableDist(): string {
  if (distCopy === null) {
    const dir = tempDir('sp-privdist-')
    fs.cpSync(path.dirname(DIST), path.join(dir, 'dist'), { recursive: true })
    leftovers.add(dir)
    must('chmod', ['-R', 'a+rX', dir])
    distCopy = dir
  }
  return path.join(distCopy, 'dist')
}

/** The CLI of readableDist(). */
export function readableCli(): string {
  return path.join(readableDist(), 'cli', 'index.js')
}

export interface CliAsRun<J = unknown> {
  status: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
  /** stdout parsed, when `args` has --json and stdout is JSON. */
  json?: J
}

/**
 * Runs the readable copy of the CLI with the machine's node (nodeFor()) as the user (uid and
 * spawn gid): env userEnv() with HOME a fresh temp dir the user owns (removed after), working
 * directory `cwd` or that HOME, stdin `stdin` (default empty).
 */
export function runCliAs<J = unknown>(user: TestUser, args: string[], opts: { cwd?: string; env?: Record<string, string>; stdin?: string; timeoutMs?: number } = {}): CliAsRun<J> {
  const node = nodeFor(user)
  const cli = readableCli()
  const home = homeFor(user)
  try {
    const r = spawnSync(node, [cli, ...args], {
      cwd: opts.cwd ?? home,
      env: userEnv(user, { HOME: home, ...opts.env }),
      input: opts.stdin ?? '',
      uid: user.uid,
      gid: user.gid,
      encoding: 'utf8',
      timeout: opts.timeoutMs ?? 120000
    })
    const run: CliAsRun<J> = { status: r.status, signal: r.signal, stdout: r.stdout ?? '', stderr: r.error ? `${r.error.message}\n${r.stderr ?? ''}` : (r.stderr ?? '') }
    if (args.includes('--json')) {
      try {
        run.json = JSON.parse(run.stdout) as J
      } catch {
        // not JSON: the test sees stdout
      }
    }
    return run
  } finally {
    removeTree(home)
  }
}

/**
 * The action (helpers/action.ts runAction, its readable bundle copy) as the user: uid and spawn
 * gid, the machine's node, PATH userPath(), HOME a fresh temp dir the user owns (removed after).
 * The runner's scratch dir (outputs, summary, RUNNER_TEMP) is removed after the test file
 * (cleanupPrivileged()).
 */
export function runActionAs(user: TestUser, inputs: Record<string, string>, opts: { env?: Record<string, string>; workspace?: string } = {}): ActionRun {
  const home = homeFor(user)
  try {
    const r = runAction(inputs, {
      node: nodeFor(user),
      workspace: opts.workspace,
      asUser: { uid: user.uid, gid: user.gid },
      env: { ...userEnv(user, { HOME: home }), ...opts.env }
    })
    leftovers.add(path.dirname(r.runnerTemp))
    return r
  } finally {
    removeTree(home)
  }
}
