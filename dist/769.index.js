export const id = 769;
export const ids = [769];
export const modules = {

/***/ 5855:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  K: () => (/* binding */ readInputs)
});

// EXTERNAL MODULE: ./src/action/runner.ts
var runner = __webpack_require__(5242);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
var external_node_fs_default = /*#__PURE__*/__webpack_require__.n(external_node_fs_);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
var external_node_path_default = /*#__PURE__*/__webpack_require__.n(external_node_path_);
// EXTERNAL MODULE: ./src/common/errors.ts
var errors = __webpack_require__(1922);
// EXTERNAL MODULE: ./src/common/options.ts
var options = __webpack_require__(2043);
// EXTERNAL MODULE: ./src/engine/suggest.ts
var suggest = __webpack_require__(3708);
// EXTERNAL MODULE: ./src/engine/policy.ts
var policy = __webpack_require__(7542);
// EXTERNAL MODULE: ./src/common/yaml.ts
var yaml = __webpack_require__(7394);
// EXTERNAL MODULE: ./src/engine/settings.ts
var settings = __webpack_require__(4441);
;// CONCATENATED MODULE: ./src/engine/config.ts
/**
 * `.safe-purge.yml` in the root (or the file named by `config`, wherever it is) -> partial options.
 * Same keys as the action's inputs. YAML 1.2 core schema, so `yes`/`on` are strings, not booleans;
 * `"true"` and `"false"` (quoted) are read as booleans, like the action's own string inputs.
 * Unknown keys and wrongly typed values are errors that name the key. `force` and `confirm` are
 * refused: confirmation comes from whoever starts the run, never from a file in the repository;
 * so is `privileged-image`, which runs as root.
 */








const DEFAULT_CONFIG_FILE = '.safe-purge.yml';
/** The keys a config file may set: every option but those that confirm a run or pick what runs as root. */
const CONFIG_KEYS = Object.keys(settings/* OPTION_KINDS */.WQ).filter((k) => k !== 'force' && k !== 'confirm' && k !== 'privileged-image');
/**
 * `requested` is the `config` input ('' for the default file, which may be absent). A relative
 * path is relative to the root. A file named explicitly may live outside the root (one fleet.yml
 * shared by many environments): the file is only read, it can neither skip confirmation nor pick
 * what runs as root, and its protected patterns only add up; the default file is the root's own.
 */
async function loadConfig(root, requested, names = options/* ACTION_NAMES */.G) {
    const explicit = requested.trim() !== '';
    const given = explicit ? requested.trim() : DEFAULT_CONFIG_FILE;
    const file = external_node_path_default().resolve(root, given);
    let text;
    try {
        text = external_node_fs_default().readFileSync(file, 'utf8');
    }
    catch (err) {
        const code = err.code;
        if (code === 'ENOENT' && !explicit)
            return { file: null, options: {} };
        const where = external_node_path_default().isAbsolute(given) ? '' : ` (relative to the root: ${file})`;
        throw (0,errors/* fail */.fJ)('ERR_CONFIG_READ', `config file ${JSON.stringify(given)}${where} cannot be read (${code ?? (0,errors/* errorMessage */.gJ)(err)}): fix ${names('config')} or create the file`);
    }
    const shown = insideRoot(root, file) ?? file;
    return { file: shown, options: await parseConfig(text, shown) };
}
/**
 * `file`'s path relative to the root when it lies inside it, else null: as named first (a link
 * inside the root is protected under the name given), else resolved (the root named through a
 * link, the file by its real path).
 */
function insideRoot(root, file) {
    const inside = (rel) => (rel !== '' && rel !== '..' && !rel.startsWith(`..${(external_node_path_default()).sep}`) && !external_node_path_default().isAbsolute(rel) ? rel.split((external_node_path_default()).sep).join('/') : null);
    const named = inside(external_node_path_default().relative(external_node_path_default().resolve(root), file));
    if (named !== null)
        return named;
    try {
        return inside(external_node_path_default().relative(external_node_fs_default().realpathSync(root), external_node_fs_default().realpathSync(file)));
    }
    catch {
        return null;
    }
}
/**
 * Names an option for an error: the config file's key, with the file, when the value came from
 * there (the side did not set it); else the side's own name (the input, or the CLI flag).
 */
function namesWithConfig(side, fromSide, config) {
    return (key) => key !== 'root' && key !== 'config' && config.file !== null && fromSide[key] === undefined && config.options[key] !== undefined
        ? `${key} (in config file ${config.file})`
        : side(key);
}
async function parseConfig(text, file) {
    await (0,yaml/* loadYaml */.y)();
    let doc;
    try {
        doc = (0,yaml/* parseYaml */.h)(text, { version: '1.2', schema: 'core', uniqueKeys: true });
    }
    catch (err) {
        throw (0,errors/* fail */.fJ)('ERR_CONFIG_YAML', `config file ${file} is not valid YAML: ${(0,errors/* errorMessage */.gJ)(err).split('\n')[0]}`);
    }
    if (doc === null || doc === undefined)
        return {};
    if (typeof doc !== 'object' || Array.isArray(doc)) {
        throw (0,errors/* fail */.fJ)('ERR_CONFIG_SHAPE', `config file ${file} must be a mapping of option: value`);
    }
    const out = {};
    for (const [key, value] of Object.entries(doc)) {
        if (key === 'force' || key === 'confirm') {
            // A file committed to the repository must not switch off the confirmation that guards a purge.
            throw (0,errors/* fail */.fJ)('ERR_CONFIG_KEY', `config file ${file}: ${key} cannot be set in the config file (a committed file must not skip confirmation); set it where the run starts (the action's ${key} input, or the CLI's --force)`);
        }
        if (key === 'privileged-image') {
            // The image runs as root with the root mounted: a file in the repository must not pick it,
            // or a commit could run code that ignores every protected pattern.
            throw (0,errors/* fail */.fJ)('ERR_CONFIG_KEY', `config file ${file}: privileged-image cannot be set in the config file (the image runs as root on the root's files); set it where the run starts (the action's privileged-image input, or the CLI's --privileged-image)`);
        }
        if (!Object.hasOwn(settings/* OPTION_KINDS */.WQ, key)) {
            const near = (0,suggest/* closest */.kp)(key, CONFIG_KEYS);
            const hint = key === 'root' || key === 'config' ? `${key} cannot be set in the config file (it locates the file)`
                : `${near ? `did you mean ${near}? ` : ''}the file accepts: ${CONFIG_KEYS.join(', ')}`;
            throw (0,errors/* fail */.fJ)('ERR_CONFIG_KEY', `config file ${file}: unknown key ${JSON.stringify(key)}; ${hint}`);
        }
        out[key] = convert(key, value, `${file}: ${key}`);
    }
    return out;
}
function convert(key, value, what) {
    const kind = settings/* OPTION_KINDS */.WQ[key];
    const wrong = (expected) => (0,errors/* fail */.fJ)('ERR_CONFIG_VALUE', `config ${what} must be ${expected}, got ${JSON.stringify(value)}`);
    switch (kind) {
        case 'boolean':
            // Quoted "true" reads as the action's own inputs do (they are strings): the same spellings.
            if (typeof value === 'string')
                return (0,settings/* parseBoolean */.yG)(value.trim(), `config ${what}`);
            if (typeof value !== 'boolean')
                throw wrong('true or false');
            return value;
        case 'seconds':
            if (typeof value !== 'number' && typeof value !== 'string')
                throw wrong('a number of seconds');
            return (0,settings/* parseSeconds */.fL)(String(value), `config ${what}`);
        case 'docker':
            if (typeof value !== 'string')
                throw wrong('auto, required or off');
            return (0,settings/* parseDockerMode */.vk)(value, `config ${what}`);
        case 'privileged':
            if (typeof value !== 'string')
                throw wrong('auto, sudo, container or off');
            return (0,settings/* parsePrivilegedMode */.Wp)(value, `config ${what}`);
        case 'strategy':
            if (typeof value !== 'string')
                throw wrong('purge or move');
            return (0,settings/* parseStrategy */.pw)(value.trim(), `config ${what}`);
        case 'trash':
            if (typeof value !== 'string')
                throw wrong('later or now');
            return (0,settings/* parseTrashTiming */.YX)(value.trim(), `config ${what}`);
        case 'list': {
            let list;
            if (typeof value === 'string') {
                if (value.trim() === '')
                    (0,settings/* refuseBlank */.F_)(key, `config ${what}`);
                list = (0,settings/* parseOption */.ZY)(key, value, what);
            }
            else {
                if (!Array.isArray(value) || value.some((v) => typeof v !== 'string'))
                    throw wrong('a list of strings');
                list = value;
            }
            // Protected patterns add up from the file and the side: the policy's own check runs here too,
            // so that a bad pattern is named where it was written, not after the merge.
            if (key === 'protected')
                list.forEach((p, i) => (0,policy/* checkPattern */.rg)(p, i, `config ${what}`));
            return list;
        }
        case 'string':
            if (typeof value !== 'string' && typeof value !== 'number')
                throw wrong('a string');
            if (String(value).trim() === '')
                (0,settings/* refuseBlank */.F_)(key, `config ${what}`);
            return String(value).trim();
    }
}

;// CONCATENATED MODULE: ./src/action/inputs.ts
/**
 * The action's inputs -> Settings. The only caller of core.getInput. Inputs without a value are
 * left out so the config file, then the defaults, apply (action.yml therefore declares no
 * defaults for keys the config file may set).
 */




/** The settings, and how an error names each option: the input, or the config file's key when it came from there. */
async function readInputs() {
    // The runner fills `root` with the workspace when the step does not set it; an empty value means
    // the step set it to something empty (an unset variable), which root-guard refuses.
    const root = runner/* getInput */.V4('root');
    const fromInputs = {};
    for (const key of Object.keys(settings/* OPTION_KINDS */.WQ)) {
        const raw = runner/* getInput */.V4(key, { trimWhitespace: false });
        if (raw.trim() === '') {
            // `ephemeral: |` over an unset variable gives "\n": falling back to the defaults would purge
            // (or stop) something the step never named. An empty value is what the runner gives an unset input.
            if (raw !== '')
                (0,settings/* refuseBlank */.F_)(key, `input ${key}`);
            continue;
        }
        fromInputs[key] = (0,settings/* parseOption */.ZY)(key, raw, `input ${key}`);
    }
    const config = root.trim() === '' ? { file: null, options: {} } : await loadConfig(root, runner/* getInput */.V4('config'));
    return {
        settings: (0,settings/* buildSettings */.E6)(root, config.file, fromInputs, config.options),
        names: namesWithConfig(options/* ACTION_NAMES */.G, fromInputs, config)
    };
}


/***/ }),

/***/ 6769:
/***/ ((module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.a(module, async (__webpack_handle_async_dependencies__, __webpack_async_result__) => { try {
__webpack_require__.r(__webpack_exports__);
/* harmony import */ var _runner_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(5242);
/* harmony import */ var _inputs_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(5855);
/* harmony import */ var _engine_run_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(3198);
/* harmony import */ var _summary_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(4167);
/* harmony import */ var _engine_report_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(594);
/* harmony import */ var _engine_execute_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(3945);
/* harmony import */ var _common_errors_js__WEBPACK_IMPORTED_MODULE_8__ = __webpack_require__(1922);
/* harmony import */ var _common_stdio_js__WEBPACK_IMPORTED_MODULE_9__ = __webpack_require__(496);
/* harmony import */ var _post_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(7718);
/* harmony import */ var _engine_trash_js__WEBPACK_IMPORTED_MODULE_7__ = __webpack_require__(6924);
/** The action's entry: inputs -> run -> outputs, summary, setFailed. */










const log = {
    info: (l) => _runner_js__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(l),
    warning: (l) => _runner_js__WEBPACK_IMPORTED_MODULE_0__/* .warning */ .$e(l),
    error: (l) => _runner_js__WEBPACK_IMPORTED_MODULE_0__/* .error */ .z3(l),
    group: (name, fn) => {
        // An error thrown once a phase that changes something began is no refusal: the stack may be down, files gone.
        if ((0,_engine_run_js__WEBPACK_IMPORTED_MODULE_2__/* .changesSomething */ .Qc)(name))
            changing = true;
        return _runner_js__WEBPACK_IMPORTED_MODULE_0__/* .group */ .Os(name, fn);
    }
};
let changing = false;
// GitHub cancels a job with SIGINT and, 7.5 s later, SIGTERM; a person may press Ctrl-C twice.
// The first signal stops the run at a safe point; it still verifies, reports and fails. A later
// one changes nothing: verification is never cut short.
const cancel = new AbortController();
// Once the run has its result, a signal has nothing left to stop.
let decided = false;
for (const sig of ['SIGINT', 'SIGTERM']) {
    process.on(sig, () => {
        if (decided)
            return;
        if (!cancel.signal.aborted)
            _runner_js__WEBPACK_IMPORTED_MODULE_0__/* .warning */ .$e(`${sig} received: stopping at the next safe point, then verifying`);
        else
            _runner_js__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(`${sig} received: still stopping safely and verifying`);
        cancel.abort();
    });
}
// The runner runs this same file again as the post step, with the state the main step saved.
const isPost = _runner_js__WEBPACK_IMPORTED_MODULE_0__/* .getState */ .Gu('isPost') === 'true';
if (!isPost)
    _runner_js__WEBPACK_IMPORTED_MODULE_0__/* .saveState */ .LZ('isPost', 'true');
let report = null;
if (isPost) {
    await (0,_post_js__WEBPACK_IMPORTED_MODULE_6__/* .post */ .b)(cancel.signal).finally(() => (decided = true));
}
else {
    try {
        const { settings, names } = await (0,_inputs_js__WEBPACK_IMPORTED_MODULE_1__/* .readInputs */ .K)();
        // A dry run lists every entry that would go in its summary.
        // Strategy move: the post step deletes the trash at the end of the job; saved as soon as it exists.
        const handOff = (trash, root) => {
            _runner_js__WEBPACK_IMPORTED_MODULE_0__/* .saveState */ .LZ(_post_js__WEBPACK_IMPORTED_MODULE_6__/* .TRASH_STATE */ .r, JSON.stringify({ root, run: trash }));
            return (0,_engine_trash_js__WEBPACK_IMPORTED_MODULE_7__/* .claimFor */ .sI)('post', process.env);
        };
        report = await (0,_engine_run_js__WEBPACK_IMPORTED_MODULE_2__/* .run */ .eF)(settings, { log, env: process.env, names, list: settings.dryRun, confirm: _engine_run_js__WEBPACK_IMPORTED_MODULE_2__/* .confirmByName */ .L1, signal: cancel.signal, executeHooks: (0,_engine_execute_js__WEBPACK_IMPORTED_MODULE_5__/* .selfStopHooks */ .H7)(process.env), handOff }).finally(() => (decided = true));
    }
    catch (err) {
        const message = (0,_common_errors_js__WEBPACK_IMPORTED_MODULE_8__/* .errorMessage */ .gJ)(err);
        // A refusal still leaves outputs (verified false), a report file and a summary saying why.
        try {
            (0,_summary_js__WEBPACK_IMPORTED_MODULE_3__/* .publishRefusal */ .Id)((0,_engine_report_js__WEBPACK_IMPORTED_MODULE_4__/* .refusalOf */ .Of)(err, message, changing), process.env);
        }
        catch (e) {
            _runner_js__WEBPACK_IMPORTED_MODULE_0__/* .warning */ .$e(`the refusal's report or summary could not be written: ${(0,_common_errors_js__WEBPACK_IMPORTED_MODULE_8__/* .errorMessage */ .gJ)(e)}`);
        }
        _runner_js__WEBPACK_IMPORTED_MODULE_0__/* .setFailed */ .C1(message);
    }
}
if (report !== null) {
    // The run has its result: a failure to write the summary or the report file is said as such,
    // never taken for the run's own failure (its outputs stay what the run found).
    try {
        (0,_summary_js__WEBPACK_IMPORTED_MODULE_3__/* .publish */ .mk)(report, process.env);
    }
    catch (e) {
        _runner_js__WEBPACK_IMPORTED_MODULE_0__/* .setFailed */ .C1(`the run ${report.ok ? 'succeeded' : 'failed'}, but its report or summary could not be written: ${(0,_common_errors_js__WEBPACK_IMPORTED_MODULE_8__/* .errorMessage */ .gJ)(e)}`);
    }
    if (!report.ok)
        _runner_js__WEBPACK_IMPORTED_MODULE_0__/* .setFailed */ .C1(report.failures.join('; '));
}
// Exit here, with the signal handlers still in place: left to drain, Node closes them first and a
// signal that arrives in that moment would kill a run whose result is already written (exit by
// signal, no status). Outputs and the summary are files, written; the log reaches the runner first.
await (0,_common_stdio_js__WEBPACK_IMPORTED_MODULE_9__/* .drained */ .o)();
process.exit();

__webpack_async_result__();
} catch(e) { __webpack_async_result__(e); } }, 1);

/***/ }),

/***/ 7718:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   b: () => (/* binding */ post),
/* harmony export */   r: () => (/* binding */ TRASH_STATE)
/* harmony export */ });
/* harmony import */ var _runner_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(5242);
/* harmony import */ var _engine_trash_purge_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(6462);
/* harmony import */ var _engine_trash_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(6924);
/* harmony import */ var _engine_execute_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(3945);
/* harmony import */ var _common_errors_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(1922);
/* harmony import */ var _summary_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(4167);
/**
 * The action's post step (action.yml `post:`), run by the runner at the end of the job, after the
 * steps that redeploy: it deletes the trash the main step moved the targets into, with the same
 * anchored engine, and adds its own table to the job summary. The main step passes the root and
 * the trash's run id as state (GITHUB_STATE -> STATE_trash). No trash, nothing to do.
 */






const TRASH_STATE = 'trash';
async function post(signal) {
    const raw = _runner_js__WEBPACK_IMPORTED_MODULE_0__/* .getState */ .Gu(TRASH_STATE);
    if (raw === '')
        return;
    let state;
    try {
        state = JSON.parse(raw);
    }
    catch {
        _runner_js__WEBPACK_IMPORTED_MODULE_0__/* .setFailed */ .C1(`safe-purge post step: the main step's state is not readable (${JSON.stringify(raw.slice(0, 80))}); the trash stays for the next run`);
        return;
    }
    _runner_js__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(`deleting the trash ${state.run} of ${state.root} (moved aside by the main step)`);
    let report;
    try {
        report = await (0,_engine_trash_purge_js__WEBPACK_IMPORTED_MODULE_1__/* .deleteRootTrash */ .sp)(state.root, state.run, (0,_engine_trash_js__WEBPACK_IMPORTED_MODULE_2__/* .claimFor */ .sI)('post', process.env), process.env, { signal, hooks: (0,_engine_execute_js__WEBPACK_IMPORTED_MODULE_3__/* .selfStopHooks */ .H7)(process.env) });
    }
    catch (err) {
        _runner_js__WEBPACK_IMPORTED_MODULE_0__/* .setFailed */ .C1(`safe-purge post step: ${(0,_common_errors_js__WEBPACK_IMPORTED_MODULE_5__/* .errorMessage */ .gJ)(err)}; the trash stays for the next run`);
        return;
    }
    if (report === null) {
        _runner_js__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq('nothing to delete: a later run already deleted this trash, or is deleting it');
        return;
    }
    try {
        (0,_summary_js__WEBPACK_IMPORTED_MODULE_4__/* .publishTrash */ ._R)(report, state.root, process.env);
    }
    catch (err) {
        _runner_js__WEBPACK_IMPORTED_MODULE_0__/* .setFailed */ .C1(`the trash deletion ${report.ok ? 'succeeded' : 'failed'}, but its report or summary could not be written: ${(0,_common_errors_js__WEBPACK_IMPORTED_MODULE_5__/* .errorMessage */ .gJ)(err)}`);
    }
    if (!report.ok)
        _runner_js__WEBPACK_IMPORTED_MODULE_0__/* .setFailed */ .C1(report.failures.join('; '));
}


/***/ }),

/***/ 5242:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   $e: () => (/* binding */ warning),
/* harmony export */   C1: () => (/* binding */ setFailed),
/* harmony export */   Gu: () => (/* binding */ getState),
/* harmony export */   LZ: () => (/* binding */ saveState),
/* harmony export */   Os: () => (/* binding */ group),
/* harmony export */   V4: () => (/* binding */ getInput),
/* harmony export */   fe: () => (/* binding */ appendSummary),
/* harmony export */   pq: () => (/* binding */ info),
/* harmony export */   uH: () => (/* binding */ setOutput),
/* harmony export */   z3: () => (/* binding */ error)
/* harmony export */ });
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7598);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_crypto__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(8161);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_os__WEBPACK_IMPORTED_MODULE_2__);
/**
 * The runner's side of a JavaScript action, done directly: inputs from INPUT_<NAME>, state from
 * STATE_<name>, outputs and state appended to the files GITHUB_OUTPUT and GITHUB_STATE name (the
 * `name<<delimiter` form), the job summary appended to GITHUB_STEP_SUMMARY, and workflow commands
 * (::warning::, ::group::) on stdout, escaped as the runner reads them. This is the part of
 * @actions/core the action uses, with the same behaviour; @actions/core itself brings an HTTP
 * client (for OIDC tokens) whose 1.1 MB the action would parse at every start for nothing.
 */



/** A workflow command's message: %, CR and LF escaped, so a value cannot end the command or start another. */
function escapeData(s) {
    return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}
function escapeProperty(s) {
    return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
function command(name, props, message) {
    const p = Object.entries(props).map(([k, v]) => `${k}=${escapeProperty(v)}`).join(',');
    process.stdout.write(`::${name}${p ? ` ${p}` : ''}::${escapeData(message)}${(node_os__WEBPACK_IMPORTED_MODULE_2___default().EOL)}`);
}
/** An input as the runner passes it (INPUT_<NAME>, spaces as underscores), trimmed unless asked not to. */
function getInput(name, options = {}) {
    const value = process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '';
    return options.trimWhitespace === false ? value : value.trim();
}
/** Appends `key<<delimiter` / value / delimiter to the file the runner reads after the step. */
function fileCommand(envName, key, value) {
    const file = process.env[envName];
    if (!file)
        return false;
    if (!node_fs__WEBPACK_IMPORTED_MODULE_1___default().existsSync(file))
        throw new Error(`Missing file at path: ${file}`);
    const delimiter = `ghadelimiter_${node_crypto__WEBPACK_IMPORTED_MODULE_0___default().randomUUID()}`;
    if (key.includes(delimiter) || value.includes(delimiter))
        throw new Error(`Unexpected input: the value holds the delimiter ${delimiter}`);
    node_fs__WEBPACK_IMPORTED_MODULE_1___default().appendFileSync(file, `${key}<<${delimiter}${(node_os__WEBPACK_IMPORTED_MODULE_2___default().EOL)}${value}${(node_os__WEBPACK_IMPORTED_MODULE_2___default().EOL)}${delimiter}${(node_os__WEBPACK_IMPORTED_MODULE_2___default().EOL)}`, 'utf8');
    return true;
}
function setOutput(name, value) {
    if (fileCommand('GITHUB_OUTPUT', name, value))
        return;
    process.stdout.write((node_os__WEBPACK_IMPORTED_MODULE_2___default().EOL));
    command('set-output', { name }, value);
}
/** State for the post step, which gets it as STATE_<name>. */
function saveState(name, value) {
    if (fileCommand('GITHUB_STATE', name, value))
        return;
    command('save-state', { name }, value);
}
function getState(name) {
    return process.env[`STATE_${name}`] ?? '';
}
function info(message) {
    process.stdout.write(`${message}${(node_os__WEBPACK_IMPORTED_MODULE_2___default().EOL)}`);
}
function warning(message) {
    command('warning', {}, message);
}
function error(message) {
    command('error', {}, message);
}
/** Fails the step: exit status 1 once the process ends, and the message as an error annotation. */
function setFailed(message) {
    process.exitCode = 1;
    error(message);
}
/** A collapsible group in the log around `fn`. */
async function group(name, fn) {
    command('group', {}, name);
    try {
        return await fn();
    }
    finally {
        command('endgroup', {}, '');
    }
}
/** Appends HTML to the job summary (GITHUB_STEP_SUMMARY); throws when the runner gave none or it cannot be written. */
function appendSummary(html) {
    const file = process.env.GITHUB_STEP_SUMMARY;
    if (!file)
        throw new Error('Unable to find environment variable for $GITHUB_STEP_SUMMARY. Check if your runtime environment supports job summaries.');
    try {
        node_fs__WEBPACK_IMPORTED_MODULE_1___default().accessSync(file, (node_fs__WEBPACK_IMPORTED_MODULE_1___default().constants).R_OK | (node_fs__WEBPACK_IMPORTED_MODULE_1___default().constants).W_OK);
    }
    catch {
        throw new Error(`Unable to access summary file: '${file}'. Check if the file has correct read/write permissions.`);
    }
    node_fs__WEBPACK_IMPORTED_MODULE_1___default().appendFileSync(file, html, 'utf8');
}


/***/ }),

/***/ 4167:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  mk: () => (/* binding */ publish),
  Id: () => (/* binding */ publishRefusal),
  _R: () => (/* binding */ publishTrash)
});

// UNUSED EXPORTS: outputsOf, refusalHtml, writeReportFile

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
var external_node_fs_default = /*#__PURE__*/__webpack_require__.n(external_node_fs_);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(8161);
var external_node_os_default = /*#__PURE__*/__webpack_require__.n(external_node_os_);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
var external_node_path_default = /*#__PURE__*/__webpack_require__.n(external_node_path_);
// EXTERNAL MODULE: ./src/action/runner.ts
var runner = __webpack_require__(5242);
// EXTERNAL MODULE: ./src/common/text.ts
var common_text = __webpack_require__(2450);
;// CONCATENATED MODULE: ./src/action/summary-html.ts

const MAX_ROWS = 100;
const MAX_NAME = 300;
/** Budget of each table or list; six of them plus the fixed text stay under ~400 KiB. */
const MAX_TABLE_BYTES = 64 * 1024;
function escapeHtml(s) {
    return s.replace(/[&<>"'`]/g, (c) => `&#${c.charCodeAt(0)};`);
}
/** Shown form of a path: control characters escaped, shortened, HTML-escaped. */
function cell(s) {
    const shown = (0,common_text/* showPath */.P8)(s);
    return escapeHtml(shown.length > MAX_NAME ? `${shown.slice(0, MAX_NAME)}…` : shown);
}
/** As many items as fit MAX_ROWS and the byte budget, and a note saying how many were left out. */
function fit(items, total) {
    const kept = [];
    let bytes = 0;
    for (const item of items.slice(0, MAX_ROWS)) {
        bytes += Buffer.byteLength(item) + 1;
        if (bytes > MAX_TABLE_BYTES)
            break;
        kept.push(item);
    }
    const left = total - kept.length;
    return { body: kept.join('\n'), more: left > 0 ? `<p>… ${left} more not shown (see the JSON report)</p>\n` : '' };
}
function table(head, rows, total = rows.length) {
    const th = head.map((h) => `<th>${h}</th>`).join('');
    const { body, more } = fit(rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`), total);
    return `<table><tr>${th}</tr>\n${body}</table>\n${more}`;
}
function list(items) {
    const { body, more } = fit(items.map((i) => `<li>${i}</li>`), items.length);
    return `<ul>${body}</ul>\n${more}`;
}
function verification(r) {
    const v = r.verification;
    const d = r.docker;
    const parts = [r.dryRun ? '<h3>Checks (dry run: nothing verified)</h3>\n' : '<h3>Verification</h3>\n'];
    if (r.dryRun) {
        // Nothing was purged, so nothing was verified; say what a dry run did check.
        parts.push(v.ok
            ? `<p>Nothing was purged, so nothing was verified (<code>verified</code> is false). ${v.checked} protected entr${v.checked === 1 ? 'y was' : 'ies were'} fingerprinted and none changed while the dry run ran; a real run verifies them after its purge.</p>\n`
            : `<p>❌ ${v.missing.length} protected path(s) vanished and ${v.changed.length} changed while the dry run ran: something else writes there.</p>\n`);
    }
    else
        parts.push(v.ok
            ? `<p>✅ ${v.checked} protected entr${v.checked === 1 ? 'y' : 'ies'} unchanged; every target gone or holding only kept entries${d.verification ? '; no project container left, removed volumes gone' : ''}.</p>\n`
            : `<p>❌ ${v.missing.length} missing, ${v.changed.length} changed, ${v.leftovers.length} target(s) not clean.</p>\n`);
    const problems = [
        ...v.missing.map((m) => [`<code>${cell(m)}</code>`, 'missing']),
        ...v.changed.map((c) => [`<code>${cell(c.path)}</code>`, `changed: ${cell(c.what)}`]),
        ...v.leftovers.map((l) => [`<code>${cell(l.path)}</code>`, l.remaining === 0 ? 'still there' : `${l.remaining} entr${l.remaining === 1 ? 'y' : 'ies'} left`]),
        ...(d.verification?.problems ?? []).map((p) => ['docker', cell(p)])
    ];
    if (problems.length > 0)
        parts.push(table(['Path', 'Problem'], problems));
    return parts.join('');
}
function docker(r) {
    const d = r.docker;
    const parts = ['<h3>Docker</h3>\n'];
    if (!d.used) {
        parts.push(`<p>Not used: ${cell(d.skipped ?? d.mode)}</p>\n`);
        return parts.join('');
    }
    const stop = d.keptRunning ? 'left running (keep-running)' : r.dryRun ? 'would be stopped' : d.stopped ? 'stopped' : 'not stopped';
    const names = (cs) => cs.length === 0 ? 'none' : cs.slice(0, MAX_ROWS).map((c) => `<code>${cell(c)}</code>`).join(', ') + (cs.length > MAX_ROWS ? ` and ${cs.length - MAX_ROWS} more` : '');
    parts.push(table(['Project', 'Compose files', 'Found by', 'Stopped by', 'Running containers', 'Other containers'], d.stacks.map((s) => [
        `<code>${cell(s.project)}</code>`,
        s.files.length ? s.files.map((f) => `<code>${cell(f)}</code>`).join('<br>') : 'none',
        cell(s.foundBy),
        s.stoppedBy === 'compose down' ? `${cell(d.compose ?? 'compose')} down` : `docker stop and rm by label: ${cell(s.filesUnusable ?? '')}`,
        `${names(s.containers)} (${stop})`,
        names(s.exited)
    ])));
    if (d.services) {
        const before = new Map(d.services.before.map((b) => [b.name, b]));
        const rows = [...new Set([...d.services.before, ...d.services.after].map((c) => c.service))].sort().map((service) => {
            const was = d.services?.before.filter((b) => b.service === service) ?? [];
            const now = d.services?.after.filter((a) => a.service === service) ?? [];
            const show = (cs) => cs.map((c) => `<code>${cell(c.id)}</code> ${cell(c.state)}${c.health ? ` (${cell(c.health)})` : ''}, since ${cell(c.startedAt)}`).join('<br>') || 'none';
            const reset = d.services?.names.includes(service) ?? false;
            const same = !reset && now.length > 0 && now.every((c) => before.get(c.name)?.id === c.id && before.get(c.name)?.startedAt === c.startedAt);
            return [`<code>${cell(service)}</code>`, reset ? (d.services?.restarted.includes(service) ? 'reset, running again' : r.dryRun ? 'would be reset' : 'reset, NOT running') : same ? 'untouched' : 'kept running', show(was), r.dryRun ? '' : show(now)];
        });
        parts.push(table(['Service', 'What happened', 'Before', 'After'], rows));
    }
    if (d.writers.length > 0) {
        parts.push(table(['Container (not Compose)', 'Writes into', 'Through'], d.writers.map((w) => [
            `<code>${cell(w.name)}</code> (${cell(w.image)}): left running (keep-running)`,
            w.binds.map((b) => `<code>${cell(b.target)}</code>`).join('<br>'),
            w.binds.map((b) => `<code>${cell(b.source)}</code> → <code>${cell(b.destination)}</code>`).join('<br>')
        ])));
    }
    if (d.volumes.length > 0) {
        parts.push(table(['Volume', 'Compose key', 'Action'], d.volumes.map((v) => [
            `<code>${cell(v.name)}</code>`, cell(v.key),
            v.action === 'remove' ? (r.dryRun ? 'would be removed' : d.removedVolumes.includes(v.name) ? 'removed' : 'NOT removed') : `kept: ${cell(v.reason)}`
        ])));
    }
    return parts.join('');
}
/** Files running processes held open: truncated in place (they stay, empty), or unlinked anyway. */
function heldOpen(r) {
    const t = r.totals;
    if (t.truncatedFiles === 0 && t.heldUnlinkedFiles === 0)
        return '';
    const who = (hs) => hs.map((h) => `${h.pid} <code>${cell(h.command)}</code>`).join(', ') || 'a running process';
    const rows = [
        ...r.targets.flatMap((x) => x.truncated).map((e) => [`<code>${cell(e.path)}</code>`, escapeHtml((0,common_text/* formatBytes */.z3)(e.bytes)), r.dryRun ? 'would be truncated' : 'truncated (stays, empty)', who(e.holders)]),
        ...r.targets.flatMap((x) => x.heldUnlinked).map((e) => [`<code>${cell(e.path)}</code>`, escapeHtml((0,common_text/* formatBytes */.z3)(e.bytes)), `unlinked: ${cell(e.reason)} (space comes back when closed)`, who(e.holders)])
    ];
    return `<h3>Held open by running processes</h3>\n${table(['File', 'Size', 'What happened', 'Held by (pid, command)'], rows, t.truncatedFiles + t.heldUnlinkedFiles)}`;
}
/** Entries this user could not delete, and the second pass as root that finished them (or why not). */
function privileged(r) {
    const p = r.privileged;
    if (!p)
        return '';
    const how = p.via === 'sudo' ? 'sudo' : p.via === 'container' ? `a container (<code>${cell(p.image ?? '')}</code>)` : '';
    const head = p.ran ? `<p>The privileged pass ran as root through ${how} on ${p.targets.map((t) => `<code>${cell(t)}</code>`).join(', ')}: it removed <strong>${p.removedFiles}</strong> file(s), ${escapeHtml((0,common_text/* formatBytes */.z3)(p.removedBytes))}.</p>\n`
        : r.dryRun && p.via ? `<p>A real run could not delete ${p.entriesTotal} entr${p.entriesTotal === 1 ? 'y' : 'ies'} as this user; it would finish them as root through ${how}.</p>\n`
            : r.dryRun ? `<p>${p.entriesTotal} entr${p.entriesTotal === 1 ? 'y' : 'ies'} cannot be deleted as this user, and no privileged pass is available to finish them.</p>\n`
                : `<p>${p.entriesTotal} entr${p.entriesTotal === 1 ? 'y' : 'ies'} could not be deleted as this user, and no privileged pass finished them.</p>\n`;
    const notes = p.notes.length ? list(p.notes.map(cell)) : '';
    const owner = (e) => (e.owner === null ? '?' : `${e.owner}${e.ownerName ? ` (${cell(e.ownerName)})` : ''}`);
    const rows = p.entries.map((e) => [`<code>${cell(e.path)}</code>`, owner(e), cell(e.code), cell(e.why)]);
    return `<h3>Privileged pass (mode: ${cell(p.mode)})</h3>\n${head}${notes}${table(['Entry', 'Owner (uid)', 'Error', 'Why'], rows, p.entriesTotal)}`;
}
const KEEP_REASON = {
    protected: 'protected path',
    'mount-point': 'mount point (another filesystem, not entered)'
};
/** The target `path` lies inside (the innermost one), or null. */
function targetOf(r, path) {
    let found = null;
    for (const t of r.targets) {
        if (path.startsWith(`${t.path}/`) && (found === null || t.path.length > found.length))
            found = t.path;
    }
    return found;
}
/**
 * What stayed, each path once. The protected paths the fingerprint covered (their entries add up to
 * the verification's count), with the target a path lies in when the purge kept it inside one; then
 * what else stayed inside targets: mount points, and the protected paths a dry run does not
 * fingerprint (it never enters its targets).
 */
function keptSections(r) {
    const parts = [];
    const roots = r.protected.roots;
    const inside = new Map(roots.map((p) => [p.path, targetOf(r, p.path)]));
    const anyInside = [...inside.values()].some((t) => t !== null);
    parts.push('<h3>Protected (fingerprinted before and after)</h3>\n');
    if (roots.length === 0) {
        parts.push('<p>No protected path exists under the root.</p>\n');
    }
    else {
        const head = ['Path', 'Type', 'Entries', ...(anyInside ? ['Inside target'] : [])];
        parts.push(table(head, roots.map((p) => {
            const t = inside.get(p.path) ?? null;
            return [`<code>${cell(p.path)}</code>`, cell(p.kind), String(p.entries), ...(anyInside ? [t === null ? '—' : `<code>${cell(t)}</code>`] : [])];
        })));
    }
    const reason = (why) => why === 'protected' && r.dryRun ? 'protected path (a real run fingerprints it)' : cell(KEEP_REASON[why] ?? why);
    const listed = new Set(roots.map((p) => p.path));
    const rows = [];
    let total = 0;
    for (const t of r.targets) {
        const rest = t.kept.filter((k) => !listed.has(k.path));
        // Entries counted but not listed by name (beyond the plan's list limit): those that are
        // protected paths fingerprinted inside this target are already in the table above.
        const unlisted = Math.max(t.keptTotal, t.kept.length) - t.kept.length;
        const rootsHere = roots.filter((p) => inside.get(p.path) === t.path).length - (t.kept.length - rest.length);
        total += rest.length + Math.max(0, unlisted - Math.max(0, rootsHere));
        for (const k of rest)
            rows.push([`<code>${cell(k.path)}</code>`, `<code>${cell(t.path)}</code>`, reason(k.reason)]);
    }
    if (total > 0) {
        parts.push(`<h3>${r.dryRun ? 'Would be kept' : 'Kept'} inside targets</h3>\n`);
        parts.push(table(['Path', 'Target', 'Reason'], rows, total));
    }
    return parts.join('');
}
/** A dry run's listing, folded: every entry directly inside each target that would go, bounded. */
function listing(r) {
    const listed = r.targets.filter((t) => t.listing);
    if (listed.length === 0)
        return '';
    const rows = [];
    let total = 0;
    for (const t of listed) {
        const { entries, more, itselfGoes } = t.listing;
        if (itselfGoes) {
            rows.push([`<code>${cell(t.path)}/</code>`, 'dir (the target itself, once emptied)', '0', '0 B']);
            total++;
        }
        for (const e of entries) {
            const what = e.kind === 'dir' ? `dir (${e.inside} entr${e.inside === 1 ? 'y' : 'ies'} inside${e.keeps ? '; emptied, it stays for what it holds that stays' : ''})` : e.kind;
            rows.push([`<code>${cell(e.path)}${e.kind === 'dir' ? '/' : ''}</code>`, escapeHtml(what), String(e.files), escapeHtml((0,common_text/* formatBytes */.z3)(e.bytes))]);
        }
        if (more.entries > 0)
            rows.push([`… ${more.entries} more in <code>${cell(t.path)}</code>`, 'not named (the JSON report names the first ones)', String(more.files), escapeHtml((0,common_text/* formatBytes */.z3)(more.bytes))]);
        total += entries.length + (more.entries > 0 ? 1 : 0);
    }
    return `<details><summary>Every entry that would go (${total} row(s) in ${listed.length} target(s))</summary>\n\n${table(['Entry', 'Type', 'Files', 'Size'], rows, total)}</details>\n`;
}
function summaryHtml(r) {
    const parts = [];
    const mode = r.dryRun ? ' (dry run: nothing was changed)' : '';
    parts.push(`<h2>safe-purge: ${r.ok ? '✅' : '❌'} ${cell(r.root)}${mode}</h2>\n`);
    if (r.failures.length > 0)
        parts.push(`<p><strong>Failed:</strong></p>${list(r.failures.map(cell))}`);
    const verb = r.dryRun ? 'Would remove' : 'Removed';
    if (r.trash?.pending)
        parts.push(`<p>Moved ${r.trash.moved.length} target(s) aside: their files are counted by the post step, at the end of the job.</p>\n`);
    parts.push(`<p>${verb} <strong>${r.totals.files}</strong> file(s), <strong>${escapeHtml((0,common_text/* formatBytes */.z3)(r.totals.bytes))}</strong>, from ${r.deleted.length} target(s).</p>\n`);
    if (r.space.reclaimedBytes !== null) {
        parts.push(`<p>Freed ${escapeHtml((0,common_text/* formatBytes */.z3)(r.space.freedBytes))}; the filesystem gained <strong>${escapeHtml((0,common_text/* formatBytes */.z3)(Math.max(0, r.space.reclaimedBytes)))}</strong>.</p>\n`);
    }
    parts.push(verification(r));
    parts.push(privileged(r));
    parts.push(heldOpen(r));
    parts.push('<h3>Targets</h3>\n');
    parts.push(table(['Target', 'Files', 'Size', 'Dirs', 'Links/special', 'Kept inside', 'Result'], r.targets.map((t) => [
        `<code>${cell(t.path)}</code>`, String(t.files), escapeHtml((0,common_text/* formatBytes */.z3)(t.bytes)), String(t.dirs), String(t.others),
        String(t.keptTotal), `${cell(t.result)}${t.reason ? `: ${cell(t.reason)}` : ''}`
    ])));
    parts.push(listing(r));
    parts.push(keptSections(r));
    if (r.errors.length > 0) {
        parts.push('<h3>Errors</h3>\n');
        parts.push(table(['Path', 'Error', 'Recovery'], r.errors.map((e) => [`<code>${cell(e.path)}</code>`, cell(e.message), escapeHtml((0,common_text/* oneLine */.TN)(e.hint))])));
    }
    parts.push(docker(r));
    return parts.join('');
}

;// CONCATENATED MODULE: ./src/action/summary-trash.ts


/** The main step's trash section ('' when the run neither moved nor met a trash). */
function trashSection(r) {
    const t = r.trash;
    if (t === null)
        return '';
    const parts = ['<h3>Trash (strategy move)</h3>\n'];
    if (t.moved.length > 0) {
        const when = r.dryRun
            ? 'would be renamed into the trash in one step each'
            : t.pending
                ? `were renamed into <code>${cell(t.dir)}/${cell(t.run ?? '')}</code>; the post step deletes them at the end of the job and adds its own table`
                : t.purge !== null
                    ? 'were renamed into the trash, then deleted by this step'
                    : `were renamed into <code>${cell(t.dir)}/${cell(t.run ?? '')}</code>; the next run deletes them first`;
        parts.push(`<p>${t.moved.map((p) => `<code>${cell(p)}</code>`).join(', ')} ${when}.</p>\n`);
    }
    if (t.inPlace.length > 0)
        parts.push(table(['Purged in place', 'Why'], t.inPlace.map((p) => [`<code>${cell(p.path)}</code>`, cell(p.why)])));
    if (t.kept.length > 0)
        parts.push(`<p>Kept for a person to check (their deletion could not remove or put back everything): ${t.kept.map((k) => `<code>${cell(k)}</code>`).join(', ')} in <code>${cell(t.dir)}</code>.</p>\n`);
    if (t.leftoverRuns.length > 0) {
        const done = t.leftovers.map((l) => [cell(l.run), String(l.totals.files), escapeHtml((0,common_text/* formatBytes */.z3)(l.totals.bytes)), l.ok ? 'deleted' : cell(l.failures[0] ?? 'failed')]);
        parts.push(r.dryRun
            ? `<p>Earlier runs left ${t.leftoverRuns.length} trash(es) (${t.leftoverRuns.map(cell).join(', ')}): a real run deletes them first.</p>\n`
            : `<p>Deleted first, left by earlier runs:</p>\n${table(['Trash', 'Files', 'Size', 'Result'], done)}`);
    }
    return parts.join('');
}
/** The post step's summary: what deleting this run's trash freed. */
function trashHtml(t, root) {
    const parts = [`<h2>safe-purge post step: ${t.ok ? '✅' : '❌'} trash of ${cell(root)}</h2>\n`];
    if (t.failures.length > 0)
        parts.push(`<p><strong>Failed:</strong></p><ul>${t.failures.map((f) => `<li>${cell(f)}</li>`).join('')}</ul>\n`);
    parts.push(`<p>Deleted <strong>${t.totals.files}</strong> file(s), <strong>${escapeHtml((0,common_text/* formatBytes */.z3)(t.totals.bytes))}</strong>, in ${(t.durationMs / 1000).toFixed(1)} s`);
    if (t.space.reclaimedBytes !== null)
        parts.push(`; the filesystem gained <strong>${escapeHtml((0,common_text/* formatBytes */.z3)(Math.max(0, t.space.reclaimedBytes)))}</strong>`);
    parts.push('.</p>\n');
    parts.push(table(['Moved target', 'Files', 'Size', 'Dirs', 'Links/special', 'Errors'], t.targets.map((x) => [`<code>${cell(x.path)}</code>`, String(x.files), escapeHtml((0,common_text/* formatBytes */.z3)(x.bytes)), String(x.dirs), String(x.others), String(x.errors)])));
    if (t.restored.length + t.left.length > 0) {
        parts.push(table(['Protected entry found in the trash', 'What happened'], [...t.restored, ...t.left].map((x) => [`<code>${cell(x.path)}</code>`, cell(x.reason)])));
    }
    return parts.join('');
}

;// CONCATENATED MODULE: ./src/action/summary.ts
/**
 * The report -> the GitHub Actions side: the JSON report file under RUNNER_TEMP, the step
 * outputs, and the job summary.
 */






function writeReportFile(report, dir) {
    const folder = external_node_path_default().join(dir, 'safe-purge');
    external_node_fs_default().mkdirSync(folder, { recursive: true });
    const stamp = ('startedAt' in report ? report.startedAt : new Date().toISOString()).replace(/[:.]/g, '-');
    const file = external_node_path_default().join(folder, `report-${stamp}-${process.pid}.json`);
    external_node_fs_default().writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
    return file;
}
/** The step outputs. In a dry run they describe what a real run would remove. */
function outputsOf(report) {
    const volumes = report.dryRun ? report.docker.volumes.filter((v) => v.action === 'remove').map((v) => v.name) : report.docker.removedVolumes;
    return {
        verified: String(report.verified),
        deleted: JSON.stringify(report.deleted),
        'deleted-files': String(report.totals.files),
        'freed-bytes': String(report.space.freedBytes),
        'reclaimed-bytes': report.space.reclaimedBytes === null ? '' : String(report.space.reclaimedBytes),
        'removed-volumes': JSON.stringify(volumes),
        'restarted-services': JSON.stringify(report.docker.services?.restarted ?? []),
        'privileged-files': String(report.privileged?.removedFiles ?? 0),
        moved: JSON.stringify(report.trash?.moved ?? [])
    };
}
function publish(report, env) {
    // Outputs first: they must exist even when the report file cannot be written.
    for (const [name, value] of Object.entries(outputsOf(report)))
        runner/* setOutput */.uH(name, value);
    const file = writeReportFile(report, env.RUNNER_TEMP || external_node_os_default().tmpdir());
    runner/* setOutput */.uH('report', file);
    runner/* info */.pq(`report: ${file}`);
    if (env.GITHUB_STEP_SUMMARY)
        runner/* appendSummary */.fe(summaryHtml(report) + trashSection(report));
}
/**
 * The post step's outputs and summary: what deleting the trash freed. (Outputs set in a post step
 * reach no later step of the job; they are set for the record, and the report file holds it all.)
 */
function publishTrash(report, root, env) {
    runner/* setOutput */.uH('deleted-files', String(report.totals.files));
    runner/* setOutput */.uH('freed-bytes', String(report.space.freedBytes));
    runner/* setOutput */.uH('reclaimed-bytes', report.space.reclaimedBytes === null ? '' : String(report.space.reclaimedBytes));
    const file = external_node_path_default().join(env.RUNNER_TEMP || external_node_os_default().tmpdir(), 'safe-purge', `trash-${report.run}.json`);
    external_node_fs_default().mkdirSync(external_node_path_default().dirname(file), { recursive: true });
    external_node_fs_default().writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
    runner/* setOutput */.uH('report', file);
    runner/* info */.pq(`deleted ${report.totals.files} file(s), ${report.totals.bytes} byte(s) from the trash in ${report.durationMs} ms; report: ${file}`);
    if (env.GITHUB_STEP_SUMMARY)
        runner/* appendSummary */.fe(trashHtml(report, root));
}
/**
 * A run that stopped without a report (a refusal, or an unexpected error): the outputs a workflow
 * reads still exist (`verified` false; for a refusal, nothing deleted), the report file holds the
 * error, and the summary says what was refused, why, and how to go on.
 */
function publishRefusal(refusal, env) {
    // Outputs first: they must exist even when the report file cannot be written. After a run that
    // had begun changing things, what it deleted is not known: those counts stay unset.
    const outputs = refusal.changed
        ? { verified: 'false' }
        : { verified: 'false', deleted: '[]', 'deleted-files': '0', 'freed-bytes': '0', 'reclaimed-bytes': '', 'removed-volumes': '[]', 'restarted-services': '[]', 'privileged-files': '0', moved: '[]' };
    for (const [name, value] of Object.entries(outputs))
        runner/* setOutput */.uH(name, value);
    const file = writeReportFile(refusal, env.RUNNER_TEMP || external_node_os_default().tmpdir());
    runner/* setOutput */.uH('report', file);
    runner/* info */.pq(`report: ${file}`);
    if (env.GITHUB_STEP_SUMMARY)
        runner/* appendSummary */.fe(refusalHtml(refusal));
}
function refusalHtml(r) {
    const message = r.error.message;
    const title = r.changed ? 'stopped with an error' : 'refused, nothing was changed';
    const what = r.changed
        ? '<p>The run had begun changing things (docker or files) when it stopped, without verification: check the environment, then run again.</p>\n'
        : '<p>It stopped before it stopped any container or deleted any file. The message names the input that changes the outcome; a dry run (<code>dry-run: true</code>) shows what a run would delete.</p>\n';
    return `<h2>safe-purge: ❌ ${title}</h2>\n<p><strong>${escapeHtml(r.error.code)}</strong>: ${escapeHtml(message)}</p>\n${what}`;
}


/***/ }),

/***/ 6093:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   a: () => (/* binding */ bootId)
/* harmony export */ });
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/** This boot of the machine (Linux's boot id): a pid, or a claim, from another boot is not this one's. */

function bootId() {
    try {
        return node_fs__WEBPACK_IMPORTED_MODULE_0___default().readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() || null;
    }
    catch {
        return null;
    }
}


/***/ }),

/***/ 1922:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   XS: () => (/* binding */ recoveryHint),
/* harmony export */   bQ: () => (/* binding */ isPermissionCode),
/* harmony export */   fJ: () => (/* binding */ fail),
/* harmony export */   gJ: () => (/* binding */ errorMessage)
/* harmony export */ });
/* unused harmony export shellWord */
function fail(code, message) {
    return Object.assign(new Error(message), { code });
}
function errorMessage(err) {
    return err instanceof Error ? err.message : String(err);
}
/**
 * A path as one shell word an operator can paste: never expanded ($(), backticks, globs), never read
 * as an option (a leading dash gets ./), control characters spelled out in bash's $'...' form.
 */
function shellWord(path) {
    const s = path.startsWith('-') ? `./${path}` : path;
    if (/^[\w./@%+=:,-]+$/.test(s))
        return s;
    // eslint-disable-next-line no-control-regex
    if (!/[\x00-\x1f\x7f-\x9f]/.test(s))
        return `'${s.replace(/'/g, `'\\''`)}'`;
    // eslint-disable-next-line no-control-regex
    const escaped = s.replace(/[\\'\x00-\x1f\x7f-\x9f]/g, (c) => {
        if (c === '\\' || c === "'")
            return `\\${c}`;
        if (c === '\n')
            return '\\n';
        if (c === '\t')
            return '\\t';
        const n = c.charCodeAt(0);
        return n < 0x80 ? `\\x${n.toString(16).padStart(2, '0')}` : `\\u${n.toString(16).padStart(4, '0')}`;
    });
    return `$'${escaped}'`;
}
/** A permission error (EACCES, EPERM): what a root pass could get past, unless a flag caused it. */
function isPermissionCode(code) {
    return code === 'EACCES' || code === 'EPERM';
}
/** What an operator can do about a filesystem error code (the seed's "Error Recovery"); paths are root-relative. */
function recoveryHint(code, path) {
    const p = shellWord(path);
    const dir = shellWord(path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '.');
    switch (code) {
        case 'EACCES':
        case 'EPERM':
            return `check ownership and permissions (ls -ld ${dir} ${p}; lsattr -d ${p} for the immutable flag), then rerun as the owner, or let the privileged pass finish it (privileged: sudo or container); paths are relative to the root`;
        case 'EBUSY':
            return `something is using ${p} (a mount or an open handle): stop it (docker compose down, umount) and rerun`;
        case 'EROFS':
            return `${p} is on a read-only filesystem: remount it read-write or drop it from ephemeral`;
        case 'ENOTEMPTY':
            return `a process kept writing into ${p}: stop it (docker compose down) and rerun`;
        case 'EXDEV':
            return `${p} is a mount point: unmount it first; safe-purge never crosses into another filesystem`;
        case 'ECHANGED':
            return `${p} changed while it was being purged: rerun with dry-run to review, then purge again`;
        case 'EREFUSED':
            return `check ${p} with ls -la: safe-purge never follows a link out of a target`;
        default:
            return `inspect ${p} (ls -la), fix the cause, then rerun with dry-run to check what is left`;
    }
}


/***/ }),

/***/ 2043:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   G: () => (/* binding */ ACTION_NAMES)
/* harmony export */ });
/* unused harmony export CLI_NAMES */
/**
 * The options a person sets, shared by the action's inputs, the CLI's flags and the config file:
 * their keys and parsed types, and how each side spells them, so that an error names the fix they
 * can type: the action's input (`root`, `compose-project`) or the CLI's flag (`--root`, `--compose-project`).
 */
const ACTION_NAMES = (key) => key;
const CLI_FLAGS = {
    root: '--root',
    config: '--config',
    'dry-run': '--dry-run',
    force: '--force',
    // The CLI asks instead of reading a confirmation value.
    confirm: '--force',
    full: '--full',
    ephemeral: '--ephemeral',
    protected: '--protected',
    docker: '--docker',
    'compose-file': '--compose-file',
    'compose-project': '--compose-project',
    'protected-volumes': '--protected-volumes',
    'docker-host': '--docker-host',
    'docker-timeout': '--docker-timeout',
    'keep-running': '--keep-running',
    services: '--services',
    'remove-target-dirs': '--remove-target-dirs',
    privileged: '--privileged',
    'privileged-image': '--privileged-image',
    strategy: '--strategy',
    trash: '--trash'
};
const CLI_NAMES = (key) => CLI_FLAGS[key];


/***/ }),

/***/ 496:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   o: () => (/* binding */ drained)
/* harmony export */ });
/**
 * Before process.exit: stdout and stderr may be a pipe or a socket, which Node writes without
 * blocking, so what the reader has not taken yet still waits in the process and exiting would drop
 * it (a long --list cut short, with exit 0). This resolves once both have handed everything to the
 * kernel.
 */
function drained() {
    // An empty write's callback runs once every write queued before it is written.
    const flushed = (stream) => new Promise((resolve) => stream.write('', () => resolve()));
    return Promise.all([flushed(process.stdout), flushed(process.stderr)]);
}


/***/ }),

/***/ 2450:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   P8: () => (/* binding */ showPath),
/* harmony export */   TN: () => (/* binding */ oneLine),
/* harmony export */   z3: () => (/* binding */ formatBytes)
/* harmony export */ });
/* unused harmony export groupDigits */
/**
 * Text that reaches a person: what a user controls (file names, messages that may quote them) is
 * escaped before it reaches a terminal, and sizes are written the way people read them.
 */
function escapeChar(c) {
    if (c === '\\')
        return '\\\\';
    if (c === '\n')
        return '\\n';
    if (c === '\t')
        return '\\t';
    return `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`;
}
/**
 * A message on one line, control characters escaped and backslashes kept: an error that may quote
 * a file's contents, or a recovery hint, whose paths are shell words (errors.ts' shellWord) to paste as they are.
 */
function oneLine(message) {
    // eslint-disable-next-line no-control-regex
    return message.replace(/[\x00-\x1f\x7f-\x9f]/g, escapeChar);
}
/** Escapes control characters (newlines, ESC, C1), and backslashes, so a name is one unambiguous line on a terminal. */
function showPath(p) {
    // eslint-disable-next-line no-control-regex
    return p.replace(/[\x00-\x1f\x7f-\x9f\\]/g, escapeChar);
}
/**
 * A whole number with a comma between thousands (12,345), as toLocaleString('en-US') writes it,
 * without its cost: the first Intl call loads ICU's locale data (over 100 ms at start-up).
 */
function groupDigits(n) {
    return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
function formatBytes(n) {
    const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
    let v = n;
    let i = 0;
    while (v >= 1024 && i < units.length - 1) {
        v /= 1024;
        i++;
    }
    return i === 0 ? `${n} B` : `${v.toFixed(1)} ${units[i]}`;
}


/***/ }),

/***/ 7394:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   h: () => (/* binding */ parseYaml),
/* harmony export */   y: () => (/* binding */ loadYaml)
/* harmony export */ });
let parser = null;
async function loadYaml() {
    parser ??= (await __webpack_require__.e(/* import() */ 815).then(__webpack_require__.t.bind(__webpack_require__, 8815, 19))).parse;
}
/** `yaml`'s parse(text, options); `loadYaml()` must have been awaited. */
function parseYaml(text, options) {
    if (parser === null)
        throw new Error('internal error: parseYaml before loadYaml');
    return parser(text, options);
}


/***/ }),

/***/ 418:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   F0: () => (/* binding */ moveToTrash),
/* harmony export */   pr: () => (/* binding */ purgeTrashRun),
/* harmony export */   tW: () => (/* binding */ quarantine),
/* harmony export */   x$: () => (/* binding */ discardEmptyRun)
/* harmony export */ });
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _fs_anchor_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(1262);
/* harmony import */ var _fs_lookup_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(7673);
/* harmony import */ var _fs_entries_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(4703);
/* harmony import */ var _fs_move_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(10);
/* harmony import */ var _plan_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(2878);
/* harmony import */ var _execute_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(3945);
/* harmony import */ var _trash_js__WEBPACK_IMPORTED_MODULE_7__ = __webpack_require__(6924);
/* harmony import */ var _common_errors_js__WEBPACK_IMPORTED_MODULE_8__ = __webpack_require__(1922);
/* harmony import */ var _common_text_js__WEBPACK_IMPORTED_MODULE_9__ = __webpack_require__(2450);
/**
 * Strategy move, the executor's half: renaming targets into the run's trash, deleting a trash
 * with the same anchored walk as a purge, and putting back what must not be there.
 *
 * - A move is one rename between opened directories (fs/move.ts), so a target's path is gone at
 *   once, whatever it holds. A target directory that stays (remove-target-dirs off) is swapped, in
 *   one RENAME_EXCHANGE, with an empty directory made in the trash with its owner, mode and ACLs:
 *   the path never lacks a directory nor names a half-built one. A move that fails leaves the
 *   target where it was: it is then purged in place.
 * - The trash purge walks each moved entry with `rel` set to its original path, so the policy
 *   keeps exactly what it would have kept in the target. What it keeps there (a protected entry
 *   that appeared after the move was decided; a mount point) is renamed back to its original
 *   place when that is free, else left in the trash; either way the purge fails loudly.
 */










const codeOf = (err) => err?.code ?? 'UNKNOWN';
/**
 * Moves target `top` (found and checked to be the planned node) into the trash. Returns false
 * (nothing changed) when it cannot: the caller purges it in place. A target directory that stays
 * (`keepDir`) is swapped, in one RENAME_EXCHANGE, with an empty directory made in the trash with
 * its owner, mode and ACLs: its path never lacks a directory, and nothing is left half done.
 */
function moveToTrash(into, top, out, keepDir) {
    const entry = into.manifest.targets.find((t) => t.path === top.rel);
    if (entry === undefined)
        return false;
    const dest = Buffer.from(entry.name);
    const note = (why) => {
        into.notes.set(top.rel, why);
        return false;
    };
    into.beforeRename?.(top.rel);
    if (!(keepDir && top.kind === 'dir')) {
        try {
            (0,_fs_move_js__WEBPACK_IMPORTED_MODULE_4__/* .renameAt */ .wc)(top.parent, top.name, into.runDir, dest, 'noreplace');
        }
        catch (err) {
            return note(`its rename into the trash failed (${codeOf(err)})`);
        }
        out.result = 'moved';
        return true;
    }
    try {
        node_fs__WEBPACK_IMPORTED_MODULE_0___default().mkdirSync(into.runDir.child(dest), 0o700);
    }
    catch (err) {
        return note(`its empty replacement could not be made (${codeOf(err)})`);
    }
    try {
        const src = (0,_fs_lookup_js__WEBPACK_IMPORTED_MODULE_2__/* .openCheckedDir */ .H)(top.parent, top.name, top.st);
        try {
            const dst = into.runDir.openChild(dest);
            try {
                (0,_fs_move_js__WEBPACK_IMPORTED_MODULE_4__/* .cloneDirMeta */ .KK)(src, dst);
            }
            finally {
                dst.close();
            }
        }
        finally {
            src.close();
        }
        (0,_fs_move_js__WEBPACK_IMPORTED_MODULE_4__/* .renameAt */ .wc)(top.parent, top.name, into.runDir, dest, 'exchange');
    }
    catch (err) {
        try {
            (0,_fs_anchor_js__WEBPACK_IMPORTED_MODULE_1__/* .rmdirAt */ .kM)(into.runDir, dest);
        }
        catch {
            // not made, or not empty: the trash purge finds it
        }
        return note(`it could not be swapped with an empty directory carrying its owner, mode and ACLs (${codeOf(err)})`);
    }
    out.keptTarget = true;
    out.result = 'moved';
    return true;
}
/**
 * Deletes the run directory `run` of the trash (claimed by the caller), every entry judged under
 * its original path by `policyFor(manifest)` (the caller's patterns with the manifest's).
 */
async function purgeTrashRun(rootDir, trash, run, policyFor, opts = {}) {
    const result = { run, targets: [], totals: { ...(0,_plan_js__WEBPACK_IMPORTED_MODULE_5__/* .emptyTally */ .CK)(), ...(0,_plan_js__WEBPACK_IMPORTED_MODULE_5__/* .emptyHeldTally */ .VW)() }, restored: [], left: [], errors: [], failures: [], done: false, cancelled: false };
    let runDir;
    try {
        runDir = trash.openChild(Buffer.from(run));
    }
    catch (err) {
        if (codeOf(err) === 'ENOENT') {
            result.done = true;
            return result;
        }
        result.failures.push(`trash ${run}: cannot be opened: ${(0,_common_errors_js__WEBPACK_IMPORTED_MODULE_8__/* .errorMessage */ .gJ)(err)}`);
        return result;
    }
    try {
        const manifest = (0,_trash_js__WEBPACK_IMPORTED_MODULE_7__/* .readManifest */ .WI)(runDir);
        if (manifest === null || !(0,_fs_anchor_js__WEBPACK_IMPORTED_MODULE_1__/* .sameNode */ .$Y)(manifest.root, rootDir)) {
            result.failures.push(`trash ${run}: its manifest is missing, unreadable or names another root, so nothing in it can be judged by its original path; left as it is (delete ${(0,_common_text_js__WEBPACK_IMPORTED_MODULE_9__/* .showPath */ .P8)(`.safe-purge-trash/${run}`)} by hand after checking it)`);
            return result;
        }
        let policy;
        try {
            policy = policyFor(manifest);
        }
        catch (err) {
            result.failures.push(`trash ${run}: its manifest's protected patterns are not valid (${(0,_common_errors_js__WEBPACK_IMPORTED_MODULE_8__/* .errorMessage */ .gJ)(err)}); left as it is`);
            return result;
        }
        const how = (0,_execute_js__WEBPACK_IMPORTED_MODULE_6__/* .purgeHow */ .o0)(policy, opts, true);
        const known = new Set(manifest.targets.map((t) => t.name));
        for (const t of manifest.targets) {
            let st;
            try {
                st = (0,_fs_anchor_js__WEBPACK_IMPORTED_MODULE_1__/* .lstatAt */ .ag)(runDir, t.name);
            }
            catch (err) {
                if (codeOf(err) !== 'ENOENT')
                    result.failures.push(`trash ${run}/${t.name} (${(0,_common_text_js__WEBPACK_IMPORTED_MODULE_9__/* .showPath */ .P8)(t.path)}): ${(0,_common_errors_js__WEBPACK_IMPORTED_MODULE_8__/* .errorMessage */ .gJ)(err)}`);
                continue;
            }
            const out = (0,_execute_js__WEBPACK_IMPORTED_MODULE_6__/* .emptyOutcome */ .we)(t.path);
            const top = { parent: runDir, name: t.name, rel: t.path, st, kind: (0,_fs_entries_js__WEBPACK_IMPORTED_MODULE_3__/* .kindOf */ .I)(st) };
            await (0,_execute_js__WEBPACK_IMPORTED_MODULE_6__/* .purgeTree */ .Qt)(rootDir, top, out, how, () => { }, false);
            let restored = 0;
            for (const k of out.kept) {
                const back = restore(rootDir, runDir, t, k.path, k.reason);
                (back.ok ? result.restored : result.left).push({ path: k.path, reason: back.why });
                if (back.ok)
                    restored++;
            }
            if (restored > 0 && !how.pacer.stopped) {
                // What led to the entries put back is empty now: it goes too.
                const again = (0,_execute_js__WEBPACK_IMPORTED_MODULE_6__/* .emptyOutcome */ .we)(t.path);
                try {
                    const st2 = (0,_fs_anchor_js__WEBPACK_IMPORTED_MODULE_1__/* .lstatAt */ .ag)(runDir, t.name);
                    await (0,_execute_js__WEBPACK_IMPORTED_MODULE_6__/* .purgeTree */ .Qt)(rootDir, { ...top, st: st2, kind: (0,_fs_entries_js__WEBPACK_IMPORTED_MODULE_3__/* .kindOf */ .I)(st2) }, again, how, () => { }, false);
                    out.dirs += again.dirs;
                    out.errors.push(...again.errors);
                }
                catch (err) {
                    if (codeOf(err) !== 'ENOENT')
                        out.errors.push((0,_execute_js__WEBPACK_IMPORTED_MODULE_6__/* .toDeleteError */ .L0)(t.path, err));
                }
            }
            if (out.keptTotal > out.kept.length)
                result.left.push({ path: t.path, reason: `${out.keptTotal - out.kept.length} more protected entr(ies) were kept in the trash` });
            result.targets.push(out);
            (0,_plan_js__WEBPACK_IMPORTED_MODULE_5__/* .addTally */ .c8)(result.totals, out);
            result.errors.push(...out.errors);
        }
        result.cancelled = how.pacer.stopped;
        for (const name of node_fs__WEBPACK_IMPORTED_MODULE_0___default().readdirSync(runDir.listPath())) {
            if (!known.has(name) && !(0,_trash_js__WEBPACK_IMPORTED_MODULE_7__/* .isRunFile */ .QN)(name))
                result.left.push({ path: `.safe-purge-trash/${run}/${name}`, reason: 'not a moved target (no original path): left as it is' });
        }
        for (const r of result.restored)
            result.failures.push(`protected ${(0,_common_text_js__WEBPACK_IMPORTED_MODULE_9__/* .showPath */ .P8)(r.path)} was found in the trash (it appeared in its target after the move was decided) and was put back: ${r.reason}`);
        for (const l of result.left)
            result.failures.push(`${(0,_common_text_js__WEBPACK_IMPORTED_MODULE_9__/* .showPath */ .P8)(l.path)} stays in the trash: ${l.reason}`);
        if (result.errors.length > 0)
            result.failures.push(`${result.errors.length} deletion error(s) in the trash; first: ${(0,_common_text_js__WEBPACK_IMPORTED_MODULE_9__/* .showPath */ .P8)(result.errors[0].path)}: ${(0,_common_text_js__WEBPACK_IMPORTED_MODULE_9__/* .showPath */ .P8)(result.errors[0].message)}`);
        if (result.cancelled)
            result.failures.push('cancelled while the trash was deleted: what was not reached stays in the trash for the next run');
        result.done = finish(trash, runDir, run);
    }
    finally {
        runDir.close();
    }
    return result;
}
/** Removes the trash directory of a run that moved nothing after all (every move fell back). */
function discardEmptyRun(rootDir, run) {
    const trash = (0,_trash_js__WEBPACK_IMPORTED_MODULE_7__/* .openTrash */ .X$)(rootDir, false);
    if (trash === null)
        return;
    try {
        const runDir = trash.openChild(Buffer.from(run));
        try {
            finish(trash, runDir, run);
        }
        finally {
            runDir.close();
        }
    }
    catch {
        // nothing to discard
    }
    finally {
        trash.close();
    }
}
/** Sets a run's trash aside as `<run>.kept` (what its deletion could not remove or put back). */
function quarantine(trash, run) {
    try {
        (0,_fs_move_js__WEBPACK_IMPORTED_MODULE_4__/* .renameAt */ .wc)(trash, Buffer.from(run), trash, Buffer.from(`${run}.kept`), 'noreplace');
        return true;
    }
    catch {
        return false;
    }
}
/** Removes the run's own files and directory once nothing else is in it. True when it is gone. */
function finish(trash, runDir, run) {
    const names = node_fs__WEBPACK_IMPORTED_MODULE_0___default().readdirSync(runDir.listPath());
    if (names.some((n) => !(0,_trash_js__WEBPACK_IMPORTED_MODULE_7__/* .isRunFile */ .QN)(n)))
        return false;
    for (const n of names) {
        try {
            (0,_fs_anchor_js__WEBPACK_IMPORTED_MODULE_1__/* .unlinkAt */ .H_)(runDir, n);
        }
        catch {
            // not there
        }
    }
    try {
        (0,_fs_anchor_js__WEBPACK_IMPORTED_MODULE_1__/* .rmdirAt */ .kM)(trash, Buffer.from(run));
        return true;
    }
    catch {
        return false;
    }
}
/**
 * Renames the kept entry `rel` (an original path inside target `t`) from the trash back to `rel`,
 * creating the directories that lead to it (each with its counterpart's mode in the trash), never
 * over anything that is there now.
 */
function restore(rootDir, runDir, t, rel, reason) {
    if (reason === 'mount-point')
        return { ok: false, why: 'it is a mount point (unmount it, then delete the trash entry)' };
    const inside = rel === t.path ? [] : rel.slice(t.path.length + 1).split('/');
    const targetSegs = t.path.split('/');
    const srcSegs = [t.name, ...inside];
    const dstSegs = [...targetSegs, ...inside];
    const opened = [];
    try {
        // Its directories in the trash: src[k] is srcSegs[k] (src[0] the moved target itself).
        const src = [];
        let from = runDir;
        for (const seg of srcSegs.slice(0, -1)) {
            from = from.openChild(Buffer.from(seg));
            opened.push(from);
            src.push(from);
        }
        let to = rootDir;
        for (const [j, seg] of dstSegs.slice(0, -1).entries()) {
            const name = Buffer.from(seg);
            try {
                to = to.openChild(name);
            }
            catch (err) {
                if (codeOf(err) !== 'ENOENT')
                    throw err;
                // Made again with its counterpart's mode in the trash (above the target: 0755).
                const counterpart = src[j - (targetSegs.length - 1)];
                node_fs__WEBPACK_IMPORTED_MODULE_0___default().mkdirSync(to.child(name), counterpart ? node_fs__WEBPACK_IMPORTED_MODULE_0___default().fstatSync(counterpart.fd).mode & 0o7777 : 0o755);
                to = to.openChild(name);
            }
            opened.push(to);
            if (!rootDir.sameMount(to))
                return { ok: false, why: `${(0,_common_text_js__WEBPACK_IMPORTED_MODULE_9__/* .showPath */ .P8)(dstSegs.slice(0, j + 1).join('/'))} is now a mount point` };
        }
        (0,_fs_move_js__WEBPACK_IMPORTED_MODULE_4__/* .renameAt */ .wc)(from, Buffer.from(srcSegs[srcSegs.length - 1]), to, Buffer.from(dstSegs[dstSegs.length - 1]), 'noreplace');
        return { ok: true, why: `renamed back to ${(0,_common_text_js__WEBPACK_IMPORTED_MODULE_9__/* .showPath */ .P8)(rel)}` };
    }
    catch (err) {
        const code = codeOf(err);
        return { ok: false, why: code === 'EEXIST' || code === 'ENOTEMPTY' ? `its original place ${(0,_common_text_js__WEBPACK_IMPORTED_MODULE_9__/* .showPath */ .P8)(rel)} is taken` : `it could not be put back (${code})` };
    }
    finally {
        for (const a of opened)
            a.close();
    }
}


/***/ }),

/***/ 3945:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  we: () => (/* binding */ emptyOutcome),
  vY: () => (/* binding */ executePlan),
  o0: () => (/* binding */ purgeHow),
  Qt: () => (/* binding */ purgeTree),
  H7: () => (/* binding */ selfStopHooks),
  L0: () => (/* binding */ toDeleteError)
});

// UNUSED EXPORTS: NOT_EMPTY_RETRIES, PROGRESS_MS, UnlinkPace

// EXTERNAL MODULE: ./src/fs/lookup.ts
var lookup = __webpack_require__(7673);
// EXTERNAL MODULE: ./src/fs/anchor.ts
var fs_anchor = __webpack_require__(1262);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
var external_node_fs_default = /*#__PURE__*/__webpack_require__.n(external_node_fs_);
// EXTERNAL MODULE: ./src/fs/native.ts
var fs_native = __webpack_require__(4379);
;// CONCATENATED MODULE: ./src/fs/unlink.ts
/**
 * Removals on the thread pool, so that several unlinks wait on a cold disk at once: each stays
 * anchored to the opened directory (its fd, or /proc/self/fd/N), never to a path.
 */



/**
 * Unlinks `name` in `dir` on the thread pool, so that several removals wait on a cold disk at
 * once. On Linux it goes through /proc/self/fd/N/name (the working directory cannot anchor
 * work done on other threads); the fallback unlinks synchronously, relative to the working
 * directory.
 */
function unlinkAtAsync(dir, name) {
    if ((0,fs_anchor/* anchorMode */.NT)() !== 'proc') {
        try {
            (0,fs_anchor/* unlinkAt */.H_)(dir, name);
            return Promise.resolve();
        }
        catch (err) {
            return Promise.reject(err);
        }
    }
    const path = Buffer.concat([Buffer.from(`/proc/self/fd/${dir.fd}/`), (0,fs_anchor/* nameBytes */.dw)(name)]);
    return new Promise((resolve, reject) => external_node_fs_default().unlink(path, (err) => (err ? reject(err) : resolve())));
}
/**
 * Unlinks `names` (none of them a directory) in `dir` as one unlinkat batch on the thread pool,
 * relative to the directory fd, which the caller keeps open until the promise settles. Resolves to
 * one error (or null) per name. Only with the native helper (the walk batches only then).
 */
async function unlinkBatchAt(dir, names) {
    const h = (0,fs_anchor/* fastPath */.Gm)();
    if (h === null)
        throw new Error('internal error: unlink batches need the native helper');
    const joined = names.every((n) => typeof n === 'string')
        ? Buffer.from(`${names.join('\0')}\0`)
        : Buffer.concat(names.flatMap((n) => [(0,fs_anchor/* nameBytes */.dw)(n), NUL]));
    const errs = await h.unlinkBatch(dir.fd, joined, true);
    return names.map((n, i) => (errs[i] === 0 ? null : (0,fs_native/* errnoError */.NB)(errs[i], 'unlink', n.toString('utf8'))));
}
const NUL = Buffer.alloc(1);

// EXTERNAL MODULE: ./src/fs/entries.ts
var fs_entries = __webpack_require__(4703);
;// CONCATENATED MODULE: ./src/fs/truncate.ts
/**
 * Truncating a held-open file to zero in place, anchored like every other operation: the file is
 * found relative to the opened directory without following a link, checked, and only the
 * descriptor that was checked is truncated. Used for files a running process holds open
 * (holders.ts), whose space an unlink would not give back while that process lives.
 *
 * On Linux the name is first opened with O_PATH|O_NOFOLLOW through /proc/self/fd/<dirfd>/<name>
 * (the magic link lands in the directory the fd holds, whatever happened to its path): an O_PATH
 * descriptor does no I/O, so a FIFO or device node swapped in is never opened, and a link is held
 * as the link. Only once fstat proves it is the regular file the walk saw is it reopened for
 * writing through /proc/self/fd/<that fd>, which reaches that very inode, not a name. Node has no
 * O_PATH constant: it is 010000000 on Linux.
 *
 * The fallback (other platforms, 'recheck') opens the name through the working directory as
 * Anchor.child() does, after an lstat that narrows the moment a swap could make it open a special
 * file to the microseconds between the two calls. O_NOFOLLOW (a link is never opened), O_NONBLOCK
 * (a FIFO with no reader fails with ENXIO instead of blocking; a lease makes it EWOULDBLOCK instead
 * of a 45-second wait), O_NOCTTY (a terminal never becomes ours); libuv adds O_CLOEXEC to every open.
 *
 * Either way, only a regular file that is the node the walk saw (device+inode), on the opened
 * directory's mount, with no other name (st_nlink 1, checked on the descriptor about to be
 * truncated) is truncated. With another name it could be a protected file's content, so it is
 * refused and the caller unlinks this name. A file bind-mounted over the name is another name that
 * st_nlink does not count (`mount --bind models/w.bin logs/w.bin`): its mount ID (mnt_id in
 * /proc/self/fdinfo, where there is one) must be the directory's, or it is refused as a mount point.
 */


const O_PATH = 0o10000000;
const { O_WRONLY, O_NOFOLLOW, O_NONBLOCK, O_NOCTTY } = (external_node_fs_default()).constants;
const O_WRITE = O_WRONLY | O_NONBLOCK | O_NOCTTY;
const CHANGED = { truncated: false, reason: 'changed' };
/** Errors that mean "the name now holds something that is not a regular file" (a swap): no change made. */
const SWAPPED = new Set(['ELOOP', 'EISDIR', 'ENXIO', 'ENODEV', 'ENOTDIR']);
/**
 * Truncates `name` in `dir` to zero if it is still the regular file `expected` with one name.
 * Throws what open/ftruncate throw (ENOENT: gone; EACCES, EPERM, ETXTBSY, EWOULDBLOCK, EROFS:
 * it cannot be truncated) apart from the errors a swap causes, which are `changed`.
 */
function truncateHeldAt(dir, name, expected) {
    if ((0,fs_anchor/* anchorMode */.NT)() !== 'proc') {
        const seen = (0,fs_anchor/* lstatAt */.ag)(dir, name);
        if (!seen.isFile() || !(0,fs_anchor/* sameNode */.$Y)(seen, expected))
            return CHANGED;
        return truncateOpened(dir, () => external_node_fs_default().openSync(dir.child(name), O_WRITE | O_NOFOLLOW), expected);
    }
    const held = openOrChanged(() => external_node_fs_default().openSync(Buffer.concat([Buffer.from(`/proc/self/fd/${dir.fd}/`), (0,fs_anchor/* nameBytes */.dw)(name)]), O_PATH | O_NOFOLLOW));
    if (held === null)
        return CHANGED;
    try {
        const refused = refusal(dir, external_node_fs_default().fstatSync(held), expected) ?? otherMount(dir, held);
        if (refused)
            return refused;
        return truncateOpened(dir, () => external_node_fs_default().openSync(`/proc/self/fd/${held}`, O_WRITE), expected);
    }
    finally {
        external_node_fs_default().closeSync(held);
    }
}
/** Why the node open as `st` must not be truncated, or null when it may. */
function refusal(dir, st, expected) {
    // nlink 0: unlinked since it was found, so the name no longer holds it.
    if (!st.isFile() || !(0,fs_anchor/* sameNode */.$Y)(st, expected) || st.nlink === 0)
        return CHANGED;
    // Another filesystem mounted over the name (the walk saw the mounted file's device).
    if (st.dev !== dir.dev)
        return { truncated: false, reason: 'mount-point' };
    if (st.nlink > 1)
        return { truncated: false, reason: 'linked', nlink: st.nlink };
    return null;
}
/** A file on another mount than the directory holding its name is mounted over that name. */
function otherMount(dir, fd) {
    const mine = mountIdOf(fd);
    const its = mountIdOf(dir.fd);
    return mine !== null && its !== null && mine !== its ? { truncated: false, reason: 'mount-point' } : null;
}
function mountIdOf(fd) {
    try {
        const m = /^mnt_id:\s*(\d+)/m.exec(external_node_fs_default().readFileSync(`/proc/self/fdinfo/${fd}`, 'utf8'));
        return m ? Number(m[1]) : null;
    }
    catch {
        return null; // no /proc (other platforms): bind mounts cannot be told apart there
    }
}
function openOrChanged(open) {
    try {
        return open();
    }
    catch (err) {
        if (SWAPPED.has(err.code ?? ''))
            return null;
        throw err;
    }
}
/** Opens for writing, checks the open file again, and truncates that descriptor. */
function truncateOpened(dir, open, expected) {
    const fd = openOrChanged(open);
    if (fd === null)
        return CHANGED;
    try {
        const st = external_node_fs_default().fstatSync(fd);
        const refused = refusal(dir, st, expected) ?? otherMount(dir, fd);
        if (refused)
            return refused;
        external_node_fs_default().ftruncateSync(fd, 0);
        return { truncated: true, bytes: st.size };
    }
    finally {
        external_node_fs_default().closeSync(fd);
    }
}

// EXTERNAL MODULE: ./src/fs/flags.ts
var flags = __webpack_require__(7400);
// EXTERNAL MODULE: ./src/engine/walk.ts
var walk = __webpack_require__(4721);
// EXTERNAL MODULE: ./src/engine/pace.ts
var engine_pace = __webpack_require__(9987);
// EXTERNAL MODULE: ./src/engine/plan.ts + 1 modules
var engine_plan = __webpack_require__(2878);
// EXTERNAL MODULE: ./src/common/errors.ts
var errors = __webpack_require__(1922);
;// CONCATENATED MODULE: ./src/engine/execute.ts










/** Bounded retries when a directory refills while it is being emptied (a live writer). */
const NOT_EMPTY_RETRIES = 3;
/**
 * Test seam for the cancellation tests (the action, the CLI, in a terminal): with
 * SAFE_PURGE_TEST_STOP_AFTER_ENTRIES=N the process stops itself (SIGSTOP, as Ctrl-Z would) once,
 * after the purge has looked at N entries, so a test signals it at a known point of the purge
 * instead of racing a purge that may finish in a few hundred milliseconds. Nothing else changes.
 */
function selfStopHooks(env) {
    const n = Number(env.SAFE_PURGE_TEST_STOP_AFTER_ENTRIES ?? '');
    if (!Number.isInteger(n) || n <= 0)
        return undefined;
    let seen = 0;
    return {
        afterLstat: () => {
            if (++seen === n)
                process.kill(process.pid, 'SIGSTOP');
        }
    };
}
const PROGRESS_MS = 100;
/**
 * Synchronous unlinks are cheapest while the filesystem answers from memory; when they start to
 * wait on the disk (a cold, synced tree), removals go to the thread pool, several at once.
 */
class UnlinkPace {
    static SAMPLE = 256;
    static SLOW_MS = 0.05;
    async = false;
    n = 0;
    total = 0;
    observe(ms) {
        this.total += ms;
        if (++this.n < UnlinkPace.SAMPLE)
            return;
        if (this.total / this.n > UnlinkPace.SLOW_MS)
            this.async = true;
        this.n = 0;
        this.total = 0;
    }
}
function toDeleteError(path, err) {
    const e = err;
    const code = e?.code ?? 'UNKNOWN';
    // Node's message ends with the /proc/self/fd/... path it used; the report names the real one.
    const text = (0,errors/* errorMessage */.gJ)(err).split(', ')[0];
    const message = text.startsWith(code) ? text : `${code}: ${text}`;
    return { path, code, message: e?.syscall ? `${message} (${e.syscall})` : message, hint: (0,errors/* recoveryHint */.XS)(code, path) };
}
/**
 * A permission error says who owns the entry, and whether a flag (immutable, append-only) on the
 * entry or its directory stands in the way, which no privileged pass can get past. (The kernel
 * checks the directory's permissions first: a user meets EACCES where root would meet EPERM.)
 */
function withCause(err, e) {
    if (err.code !== 'EACCES' && err.code !== 'EPERM')
        return err;
    try {
        const own = (0,flags/* flagsAt */.jZ)(e.parent, e.name);
        err.owner = own.uid;
        const f = (0,flags/* blockingFlag */.qy)(own.flags) ?? (0,flags/* blockingFlag */.qy)((0,flags/* flagsAt */.jZ)(e.parent, null).flags);
        if (f)
            err.flags = f;
    }
    catch {
        // gone or unreadable now: the error stands as it is
    }
    return err;
}
/**
 * Removes what the plan lists. When `signal` aborts (the job was cancelled), it stops at the next
 * entry: what was not reached stays, and the outcome says `cancelled`.
 */
async function executePlan(rootDir, plan, policy, opts = {}) {
    const pacer = new engine_pace/* Pacer */._E(opts.signal);
    const pace = new UnlinkPace();
    pace.async = opts.hooks?.asyncUnlink === true;
    const done = (0,engine_plan/* emptyTally */.CK)();
    let last = 0;
    const progress = (t, force) => {
        if (!opts.onProgress)
            return;
        const now = Date.now();
        if (!force && now - last < PROGRESS_MS)
            return;
        last = now;
        opts.onProgress({ target: t.path, files: done.files + t.files, bytes: done.bytes + t.bytes, plannedFiles: plan.totals.files, plannedBytes: plan.totals.bytes });
    };
    const targets = new Array(plan.targets.length);
    const how = { policy, hooks: opts.hooks ?? {}, pacer, pace, held: opts.held, removeTargetDirs: plan.removeTargetDirs === true, movable: opts.movable ?? new Set(), mover: opts.mover };
    // Targets that move go first: the less time between the look inside them and their rename, the
    // fewer protected entries can appear there meanwhile. The outcome keeps the plan's order.
    const order = [...plan.targets.keys()].sort((a, b) => Number(how.movable.has(plan.targets[b].path)) - Number(how.movable.has(plan.targets[a].path)));
    for (const i of order) {
        const out = await executeTarget(rootDir, plan.targets[i], how, (o) => progress(o, false));
        progress(out, true);
        done.files += out.files;
        done.bytes += out.bytes;
        targets[i] = out;
    }
    const totals = { ...(0,engine_plan/* emptyTally */.CK)(), ...(0,engine_plan/* emptyHeldTally */.VW)() };
    for (const t of targets)
        (0,engine_plan/* addTally */.c8)(totals, t);
    return { targets, totals, errors: targets.flatMap((t) => t.errors), cancelled: pacer.stopped };
}
/** What a purge shares, for callers other than executePlan (the trash purge). */
function purgeHow(policy, opts, removeTargetDirs) {
    const pace = new UnlinkPace();
    pace.async = opts.hooks?.asyncUnlink === true;
    return { policy, hooks: opts.hooks ?? {}, pacer: new engine_pace/* Pacer */._E(opts.signal), pace, held: opts.held, removeTargetDirs, movable: new Set() };
}
async function executeTarget(rootDir, planned, how, tick) {
    const { hooks, pacer } = how;
    const out = emptyOutcome(planned.path);
    if (planned.status === 'present' && pacer.stopped) {
        out.result = 'cancelled';
        return out;
    }
    if (planned.status !== 'present') {
        out.result = planned.status;
        out.reason = planned.reason;
        return out;
    }
    hooks.beforeTarget?.(planned.path);
    const found = (0,lookup/* lookupTarget */.E)(rootDir, planned.path);
    if (!found.found) {
        out.result = found.missing ? 'missing' : 'refused';
        out.reason = found.reason;
        return out;
    }
    const { target } = found;
    try {
        if (!(0,fs_anchor/* sameNode */.$Y)(target.st, { dev: planned.dev ?? -1, ino: planned.ino ?? -1 }) || target.kind !== planned.kind) {
            out.result = 'changed';
            out.reason = 'replaced since it was planned; nothing under it was touched';
            out.errors.push(toDeleteError(planned.path, Object.assign(new Error(out.reason), { code: 'ECHANGED' })));
            return out;
        }
        const top = { parent: target.parent, name: target.name, rel: planned.path, st: target.st, kind: target.kind };
        if (how.mover !== undefined && how.movable.has(planned.path)) {
            const moved = how.mover(top, out);
            if (moved)
                return out;
        }
        await purgeTree(rootDir, top, out, how, tick);
        return out;
    }
    finally {
        target.parent.close();
        (0,engine_plan/* finishKept */.ur)(out.kept);
        (0,engine_plan/* finishByPath */.CC)(out.truncated);
        (0,engine_plan/* finishByPath */.CC)(out.heldUnlinked);
    }
}
/** A fresh outcome for `path`, nothing done yet. */
function emptyOutcome(path) {
    return {
        path, result: 'missing', ...(0,engine_plan/* emptyTally */.CK)(), ...(0,engine_plan/* emptyHeldTally */.VW)(),
        kept: [], keptTotal: 0, keptDirs: 0, keptTarget: false, truncated: [], truncatedNodes: [], heldUnlinked: [], errors: []
    };
}
/**
 * Purges `top` (found and checked by the caller) into `out`: everything below it but what stays
 * (protected entries, mount points, their parents), and `top` itself unless it is a target
 * directory that stays (`keepTop`). The trash purge calls it with `top.rel` set to the entry's
 * original path, so the policy judges every entry under the name it had in its target.
 */
async function purgeTree(rootDir, top, out, how, tick, keepTop = true) {
    const { policy, hooks, pacer, pace } = how;
    out.keptTarget = keepTop && top.kind === 'dir' && !how.removeTargetDirs;
    // Counted only once the unlink succeeded; an entry already gone was not ours to count.
    const removed = (e) => {
        if (e.kind === 'file') {
            out.files++;
            out.bytes += e.st.size;
            if ((out.files & 255) === 0)
                tick(out);
        }
        else {
            out.others++;
        }
        return false;
    };
    const failed = (e, err) => {
        if (err.code === 'ENOENT')
            return false;
        out.errors.push(withCause(toDeleteError(e.rel, err), e));
        return true;
    };
    const unlinkNow = (e) => {
        const t0 = performance.now();
        try {
            (0,fs_anchor/* unlinkAt */.H_)(e.parent, e.name);
        }
        catch (err) {
            return failed(e, err) ? 'failed' : 'gone';
        }
        pace.observe(performance.now() - t0);
        removed(e);
        return 'removed';
    };
    // A regular file a running process holds open: an unlink would free nothing while it runs, so
    // it is truncated where it is (and stays), unless it must not be: then it is unlinked as before.
    const heldFile = (e, h) => {
        let why = { reason: 'mapped' };
        if (!h.mapped) {
            try {
                const r = truncateHeldAt(e.parent, e.name, e.st);
                if (r.truncated) {
                    out.truncatedFiles++;
                    out.truncatedBytes += r.bytes;
                    out.truncatedNodes.push({ dev: e.st.dev, ino: e.st.ino });
                    (0,engine_plan/* addByPath */.QU)(out.truncated, { path: e.rel, bytes: r.bytes, holders: h.holders });
                    return true;
                }
                // Replaced since its lstat: whatever the name holds now goes, as any entry of a target would.
                // Mounted over (a file bind mount): its unlink fails with EBUSY, reported as it always was.
                if (r.reason === 'changed' || r.reason === 'mount-point')
                    return unlinkNow(e) === 'failed';
                why = { reason: 'hard-links' };
            }
            catch (err) {
                const code = err.code ?? 'UNKNOWN';
                if (code === 'ENOENT')
                    return false;
                why = { reason: 'cannot-truncate', code };
            }
        }
        const r = unlinkNow(e);
        if (r === 'removed') {
            out.heldUnlinkedFiles++;
            out.heldUnlinkedBytes += e.st.size;
            (0,engine_plan/* addByPath */.QU)(out.heldUnlinked, { path: e.rel, bytes: e.st.size, holders: h.holders, ...why });
        }
        return r === 'failed';
    };
    const remover = {
        keep(e, reason) {
            out.keptTotal++;
            (0,engine_plan/* addKept */.eu)(out.kept, { path: e.rel, reason });
        },
        leaf(e) {
            const h = (0,engine_plan/* heldOpen */.QW)(how.held, e);
            if (h !== undefined)
                return heldFile(e, h);
            if (pace.async)
                return unlinkAtAsync(e.parent, e.name).then(() => removed(e), (err) => failed(e, err));
            return unlinkNow(e) === 'failed';
        },
        async leaves(parent, entries) {
            let stays = false;
            // Held files are taken out of the batch: each is handled on its own, synchronously.
            const batch = [];
            for (const e of entries) {
                const h = (0,engine_plan/* heldOpen */.QW)(how.held, e);
                if (h === undefined)
                    batch.push(e);
                else if (heldFile(e, h))
                    stays = true;
            }
            if (batch.length === 0)
                return stays;
            const errs = await unlinkBatchAt(parent, batch.map((e) => e.name));
            batch.forEach((e, i) => {
                const err = errs[i];
                if (err === null)
                    removed(e);
                else if (failed(e, err))
                    stays = true;
            });
            return stays;
        },
        async leaveDir(e, stays) {
            if (stays)
                out.keptDirs++;
            if (e === top && out.keptTarget)
                return stays || (await refilled(e));
            return stays || !(await removeDir(e));
        },
        error(path, err, e) {
            const d = toDeleteError(path, err);
            out.errors.push(e ? withCause(d, e) : d);
        },
        afterLstat: hooks.afterLstat
    };
    const removeDir = async (e) => {
        for (let attempt = 0;; attempt++) {
            try {
                hooks.beforeRmdir?.(e.rel);
                (0,fs_anchor/* rmdirAt */.kM)(e.parent, e.name);
                out.dirs++;
                return true;
            }
            catch (err) {
                const code = err.code;
                if (code === 'ENOENT')
                    return true;
                if (code === 'ENOTEMPTY' && attempt < NOT_EMPTY_RETRIES) {
                    if ((await (0,walk/* visitChildren */.L)(e, rootDir, policy, remover, pacer)) !== false)
                        return false;
                    continue;
                }
                out.errors.push(toDeleteError(e.rel, err));
                return false;
            }
        }
    };
    // The target directory that stays, once emptied: removeDir's retries without the rmdir. Found
    // refilled (a live writer), it is emptied again at most NOT_EMPTY_RETRIES times, then reported
    // (ENOTEMPTY). Returns true when something stays in it.
    const refilled = async (e) => {
        for (let attempt = 0;; attempt++) {
            hooks.beforeEmptyCheck?.(e.rel);
            let filled;
            try {
                filled = hasEntries(e);
            }
            catch (err) {
                if (err.code === 'ENOENT')
                    return false;
                out.errors.push(toDeleteError(e.rel, err));
                return true;
            }
            if (!filled)
                return false;
            if (attempt >= NOT_EMPTY_RETRIES) {
                out.errors.push(toDeleteError(e.rel, Object.assign(new Error('directory not empty: it kept filling while it was emptied'), { code: 'ENOTEMPTY' })));
                return true;
            }
            if ((await (0,walk/* visitChildren */.L)(e, rootDir, policy, remover, pacer)) !== false)
                return true;
        }
    };
    const stays = await (0,walk/* visit */.Y)(top, rootDir, policy, remover, pacer);
    out.result = out.errors.length > 0 ? 'failed' : pacer.stopped && stays ? 'cancelled' : out.keptTotal > 0 ? 'purged-kept' : 'purged';
}
/** Whether directory `e` (opened and checked to be the node its lstat saw) holds any entry. */
function hasEntries(e) {
    const dir = (0,lookup/* openCheckedDir */.H)(e.parent, e.name, e.st);
    const entries = (0,fs_entries/* typedEntries */.vj)(dir);
    try {
        return entries.next().done !== true;
    }
    finally {
        entries.return(undefined);
        dir.close();
    }
}


/***/ }),

/***/ 2182:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Lc: () => (/* binding */ unlinkIfSame),
/* harmony export */   iJ: () => (/* binding */ readHeld),
/* harmony export */   md: () => (/* binding */ createComplete)
/* harmony export */ });
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7598);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_crypto__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var _fs_anchor_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(1262);
/**
 * Files that say which process holds something (the root's lock, a trash's claim): created
 * complete and atomically (written to a private file, then hard-linked to the name, which fails
 * when the name exists), so nobody reads a half-written one; read with their inode; and removed
 * as stale only while the name is still the very file that was read.
 */



/** Creates `name` in `dir` holding `text`: false when it exists. Other errors are thrown. */
function createComplete(dir, name, text) {
    const mine = Buffer.from(`${name}.${node_crypto__WEBPACK_IMPORTED_MODULE_0___default().randomUUID()}`);
    try {
        node_fs__WEBPACK_IMPORTED_MODULE_1___default().writeFileSync(dir.child(mine), text, { flag: 'wx', mode: 0o644 });
        node_fs__WEBPACK_IMPORTED_MODULE_1___default().linkSync(dir.child(mine), dir.child(Buffer.from(name)));
        return true;
    }
    catch (err) {
        if (err.code !== 'EEXIST')
            throw err;
        return false;
    }
    finally {
        try {
            (0,_fs_anchor_js__WEBPACK_IMPORTED_MODULE_2__/* .unlinkAt */ .H_)(dir, mine);
        }
        catch {
            // gone already
        }
    }
}
/** `name`'s text and inode (never read through a link), 'missing', or 'unreadable'. */
function readHeld(dir, name) {
    try {
        const fd = node_fs__WEBPACK_IMPORTED_MODULE_1___default().openSync(dir.child(Buffer.from(name)), (node_fs__WEBPACK_IMPORTED_MODULE_1___default().constants).O_RDONLY | (node_fs__WEBPACK_IMPORTED_MODULE_1___default().constants).O_NOFOLLOW);
        try {
            return { ino: node_fs__WEBPACK_IMPORTED_MODULE_1___default().fstatSync(fd).ino, text: node_fs__WEBPACK_IMPORTED_MODULE_1___default().readFileSync(fd, 'utf8') };
        }
        finally {
            node_fs__WEBPACK_IMPORTED_MODULE_1___default().closeSync(fd);
        }
    }
    catch (err) {
        return err.code === 'ENOENT' ? 'missing' : 'unreadable';
    }
}
/**
 * Unlinks `name` only while it is still the file with inode `ino` (a stale holder's) and, when
 * given, the same `text` (an inode number can be reused at once for a new holder's file).
 */
function unlinkIfSame(dir, name, ino, text) {
    try {
        const now = text === undefined ? null : readHeld(dir, name);
        if (now !== null && (typeof now === 'string' || now.text !== text))
            return;
        if (node_fs__WEBPACK_IMPORTED_MODULE_1___default().lstatSync(dir.child(Buffer.from(name))).ino === ino)
            (0,_fs_anchor_js__WEBPACK_IMPORTED_MODULE_2__/* .unlinkAt */ .H_)(dir, Buffer.from(name));
    }
    catch {
        // gone already
    }
}


/***/ }),

/***/ 9987:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   DW: () => (/* binding */ fsTypeOf),
/* harmony export */   Mx: () => (/* binding */ passCap),
/* harmony export */   _E: () => (/* binding */ Pacer)
/* harmony export */ });
/* unused harmony export PASS_CAP_UNRELIABLE */
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _fs_anchor_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(1262);
/**
 * How a walk is paced and bounded: it yields to the event loop so a cancel signal is seen, says
 * how many directories may be visited at once, and caps how much one pass over a directory may
 * handle, so that a process writing faster than the purge removes cannot keep it going forever.
 */


/**
 * Directories walked at the same time as the one in hand, over the whole walk, when the native
 * helper is in use (its operations need no working directory, so visits can interleave and the
 * thread pool removes files in several directories at once). The JavaScript path walks one
 * directory at a time: it is anchored by the working directory.
 */
const EXTRA_DIR_VISITS = 7;
/**
 * Lets signal handlers run during a long walk: yields to the event loop at most every
 * YIELD_MS, and says when the walk must stop (the signal was aborted).
 */
class Pacer {
    signal;
    static YIELD_MS = 20;
    last = Date.now();
    count = 0;
    /** Whether directories may be visited concurrently (the native helper is in use). */
    concurrent = (0,_fs_anchor_js__WEBPACK_IMPORTED_MODULE_1__/* .fastPath */ .Gm)() !== null;
    /** Directory visits that may still start alongside the current one (see EXTRA_DIR_VISITS). */
    slots = this.concurrent ? EXTRA_DIR_VISITS : 0;
    constructor(signal) {
        this.signal = signal;
    }
    /** Takes a slot for a concurrent directory visit; false when none is free (visit inline). */
    takeSlot() {
        if (this.slots === 0)
            return false;
        this.slots--;
        return true;
    }
    releaseSlot() {
        this.slots++;
    }
    get stopped() {
        return this.signal?.aborted === true;
    }
    /** Cheap, synchronous: true when it is time to yield (then `await pacer.yield()`). */
    due() {
        if ((++this.count & 255) !== 0)
            return false;
        return Date.now() - this.last >= Pacer.YIELD_MS;
    }
    async yield() {
        await new Promise((resolve) => setImmediate(resolve));
        this.last = Date.now();
    }
}
/**
 * The fewest bytes of a directory's st_size each entry costs, by filesystem (statfs f_type):
 * ext2/3/4 12 (8-byte header, name padded to 4), xfs 8 (entries kept in the inode), tmpfs 20 (its "bogo" dirent size),
 * btrfs 2 (twice the name's length). Elsewhere 1 (ZFS counts entries).
 */
const BYTES_PER_ENTRY = new Map([[0xef53, 12], [0x58465342, 8], [0x01021994, 20], [0x9123683e, 2]]);
/** Filesystems whose directory sizes say nothing of what can be listed: FUSE, overlayfs (merged directories). */
const SIZE_UNRELIABLE = new Set([0x65735546, 0x794c7630]);
/** Slack over what a directory could hold: entries a running application adds during the purge. */
const PASS_SLACK = 1024;
const PASS_CAP_UNRELIABLE = 65536;
const fsTypes = new WeakMap();
function fsTypeOf(root) {
    if (!fsTypes.has(root)) {
        let type = null;
        try {
            type = node_fs__WEBPACK_IMPORTED_MODULE_0___default().statfsSync(root.path.toString()).type;
        }
        catch {
            // unknown: treated as a filesystem that counts one byte per entry
        }
        fsTypes.set(root, type);
    }
    return fsTypes.get(root) ?? null;
}
/**
 * Most entries one pass over a directory may handle: what it could hold at `size` bytes when it
 * was first seen, plus some slack. A directory being purged never reaches it; only one that a
 * process keeps filling during the pass does. Everything the walk visits is on the root's mount.
 */
function passCap(size, fsType) {
    if (fsType !== null && SIZE_UNRELIABLE.has(fsType))
        return Math.max(size, PASS_CAP_UNRELIABLE);
    const perEntry = (fsType !== null && BYTES_PER_ENTRY.get(fsType)) || 1;
    return Math.ceil(size / perEntry) + PASS_SLACK;
}


/***/ }),

/***/ 2878:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  QU: () => (/* binding */ addByPath),
  eu: () => (/* binding */ addKept),
  c8: () => (/* binding */ addTally),
  VW: () => (/* binding */ emptyHeldTally),
  CK: () => (/* binding */ emptyTally),
  CC: () => (/* binding */ finishByPath),
  ur: () => (/* binding */ finishKept),
  QW: () => (/* binding */ heldOpen),
  rt: () => (/* binding */ scanTarget),
  WB: () => (/* binding */ scanTargets)
});

// UNUSED EXPORTS: KEPT_LIST_LIMIT

// EXTERNAL MODULE: ./src/fs/lookup.ts
var lookup = __webpack_require__(7673);
// EXTERNAL MODULE: ./src/fs/anchor.ts
var fs_anchor = __webpack_require__(1262);
// EXTERNAL MODULE: ./src/engine/walk.ts
var walk = __webpack_require__(4721);
// EXTERNAL MODULE: ./src/engine/pace.ts
var pace = __webpack_require__(9987);
// EXTERNAL MODULE: ./src/common/errors.ts
var errors = __webpack_require__(1922);
;// CONCATENATED MODULE: ./src/engine/listing.ts
/** How many entries a target's listing names; the rest are counted. */
const LIST_LIMIT = 200;
class ListingBuilder {
    target;
    byName = new Map();
    /** Once the map was cut: no entry sorting after this one is named any more. */
    cutoff = null;
    more = { entries: 0, files: 0, bytes: 0 };
    /** Named directories whose own visit ended (`dir` was called). */
    closed = new Set();
    prefix;
    itselfGoes = false;
    constructor(target) {
        this.target = target;
        this.prefix = `${target}/`;
    }
    /** A non-directory entry that goes. */
    leaf(rel, kind, size) {
        const files = kind === 'file' ? 1 : 0;
        const bytes = kind === 'file' ? size : 0;
        if (rel === this.target) {
            // A file or link target: the entry that goes is the target itself.
            this.add(rel, kind, (x) => {
                x.files += files;
                x.bytes += bytes;
            }, 1, files, bytes);
            return;
        }
        const top = this.topOf(rel);
        if (top === null)
            return;
        if (top === rel) {
            this.add(top, kind, (x) => {
                x.files += files;
                x.bytes += bytes;
            }, 1, files, bytes);
        }
        else {
            this.add(top, 'dir', (x) => {
                x.inside++;
                x.files += files;
                x.bytes += bytes;
            }, 1, files, bytes);
        }
    }
    /**
     * A directory once its children were seen: `stays` when something inside it stays (for the
     * target itself: also when it is emptied and kept).
     */
    dir(rel, stays) {
        if (rel === this.target) {
            this.itselfGoes = !stays;
            return;
        }
        const top = this.topOf(rel);
        if (top === null)
            return;
        if (top === rel) {
            // Closed before it is added: adding it may cut the list, and a cut counts a closed entry whole.
            this.closed.add(top);
            this.add(top, 'dir', (x) => (x.keeps = x.keeps || stays), stays ? 0 : 1, 0, 0);
            if (!this.byName.has(top))
                this.closed.delete(top);
        }
        else if (!stays)
            this.add(top, 'dir', (x) => x.inside++, 1, 0, 0);
    }
    finish() {
        const entries = [...this.byName.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
        if (entries.length > LIST_LIMIT) {
            for (const x of entries.slice(LIST_LIMIT))
                this.spill(x);
            entries.length = LIST_LIMIT;
        }
        return { itselfGoes: this.itselfGoes, entries, more: { ...this.more } };
    }
    /** The target's child that `rel` is or lies in; null for anything else. */
    topOf(rel) {
        if (!rel.startsWith(this.prefix))
            return null;
        const slash = rel.indexOf('/', this.prefix.length);
        return slash === -1 ? rel : rel.slice(0, slash);
    }
    add(top, kind, update, entries, files, bytes) {
        if (this.cutoff !== null && top > this.cutoff) {
            this.more.entries += entries;
            this.more.files += files;
            this.more.bytes += bytes;
            return;
        }
        let x = this.byName.get(top);
        if (x === undefined) {
            x = { path: top, kind, files: 0, bytes: 0, inside: 0, keeps: false };
            this.byName.set(top, x);
        }
        update(x);
        if (this.byName.size >= 2 * LIST_LIMIT)
            this.cut();
    }
    /** Keeps the first LIST_LIMIT names; what sorts after them is only counted from now on. */
    cut() {
        const names = [...this.byName.keys()].sort();
        for (const name of names.slice(LIST_LIMIT)) {
            this.spill(this.byName.get(name));
            this.byName.delete(name);
            this.closed.delete(name);
        }
        this.cutoff = names[LIST_LIMIT - 1];
    }
    /** Moves a named entry into the counts; a directory still open counts itself when it closes. */
    spill(x) {
        const itself = x.kind !== 'dir' ? 1 : this.closed.has(x.path) && !x.keeps ? 1 : 0;
        this.more.entries += itself + x.inside;
        this.more.files += x.files;
        this.more.bytes += x.bytes;
    }
}

;// CONCATENATED MODULE: ./src/engine/plan.ts






/** How many kept entries a target lists by name; the rest are only counted. */
const KEPT_LIST_LIMIT = 200;
function emptyTally() {
    return { files: 0, bytes: 0, dirs: 0, others: 0 };
}
function emptyHeldTally() {
    return { truncatedFiles: 0, truncatedBytes: 0, heldUnlinkedFiles: 0, heldUnlinkedBytes: 0 };
}
/** Adds `t`'s counts to `into` (totals of a plan or an outcome). */
function addTally(into, t) {
    for (const k of ['files', 'bytes', 'dirs', 'others', 'truncatedFiles', 'truncatedBytes', 'heldUnlinkedFiles', 'heldUnlinkedBytes'])
        into[k] += t[k];
}
/**
 * Who holds this entry open, when it is a regular file someone does: the run truncates it in place,
 * or (mapped, or with other names) unlinks it as any other file. The planner and the executor ask this.
 */
function heldOpen(held, e) {
    if (held === undefined || e.kind !== 'file')
        return undefined;
    return held.get(e.st);
}
/** Adds to a bounded list sorted by path, like `addKept` (call `finishByPath` when the walk is done). */
function addByPath(list, entry) {
    list.push(entry);
    if (list.length >= 2 * KEPT_LIST_LIMIT)
        finishByPath(list);
}
function finishByPath(list) {
    list.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    if (list.length > KEPT_LIST_LIMIT)
        list.length = KEPT_LIST_LIMIT;
}
/**
 * Adds a kept entry to a target's bounded list. The list names the first KEPT_LIST_LIMIT paths in
 * sorted order (call `finishKept` when the walk is done), so that a dry run and a real run, whose
 * directory visits may interleave differently, name the same entries.
 */
function addKept(list, entry) {
    addByPath(list, entry);
}
function finishKept(list) {
    finishByPath(list);
}
/**
 * `count: false` only finds each target (kind, device+inode, mount): for a run nobody reviews
 * before it starts (forced), the purge itself counts, so the tree is walked once.
 */
async function scanTargets(rootDir, root, targets, policy, count = true, signal, options = {}) {
    const planned = [];
    // A listing needs every entry seen: only a counted plan has it.
    if (!count)
        options = { ...options, list: false };
    // A cancelled scan stops where it is: nothing was changed, and the run then reports the cancellation.
    const pacer = new pace/* Pacer */._E(signal);
    for (const t of targets)
        planned.push(await scanTarget(rootDir, t, policy, pacer, count, options));
    const totals = { ...emptyTally(), ...emptyHeldTally(), kept: 0 };
    for (const t of planned) {
        addTally(totals, t);
        totals.kept += t.keptTotal;
    }
    return { root, targets: planned, totals, removeTargetDirs: options.removeTargetDirs === true };
}
async function scanTarget(rootDir, rel, policy, pacer = new pace/* Pacer */._E(), count = true, options = {}) {
    const plan = {
        path: rel, status: 'missing', counted: count, ...emptyTally(), ...emptyHeldTally(),
        kept: [], keptTotal: 0, keptDirs: 0, keptTarget: false, truncated: [], heldUnlinked: [], unreadable: [], denied: [], deniedTotal: 0, deniedRootCan: 0
    };
    const found = (0,lookup/* lookupTarget */.E)(rootDir, rel);
    if (!found.found) {
        plan.status = found.missing ? 'missing' : 'refused';
        plan.reason = found.reason;
        return plan;
    }
    const { target } = found;
    if (target.kind === 'dir' && isOtherMount(rootDir, target.parent, target.name, target.st)) {
        target.parent.close();
        plan.status = 'refused';
        plan.reason = 'it is a mount point (another filesystem or a bind mount), and safe-purge never crosses mounts; unmount it or drop it from ephemeral';
        return plan;
    }
    plan.status = 'present';
    plan.kind = target.kind;
    plan.dev = target.st.dev;
    plan.ino = target.st.ino;
    plan.keptTarget = target.kind === 'dir' && options.removeTargetDirs !== true;
    if (!count) {
        target.parent.close();
        return plan;
    }
    const top = { parent: target.parent, name: target.name, rel, st: target.st, kind: target.kind };
    const listing = options.list ? new ListingBuilder(rel) : null;
    // Would this process be refused the unlink of `e`? Recorded, and counted as removed all the same
    // (the plan says what a run would do; the denial says what stands in its way).
    const check = (e) => {
        const d = options.access?.denied(e.parent, e.st, e);
        if (!d)
            return;
        plan.deniedTotal++;
        if (d.rootCan)
            plan.deniedRootCan++;
        addByPath(plan.denied, { path: e.rel, code: d.code, why: d.why, rootCan: d.rootCan, owner: d.owner });
    };
    const counter = {
        keep(e, reason) {
            plan.keptTotal++;
            addKept(plan.kept, { path: e.rel, reason });
        },
        leaf(e) {
            const held = heldOpen(options.held, e);
            if (held !== undefined) {
                const entry = { path: e.rel, bytes: e.st.size, holders: held.holders };
                const reason = held.mapped ? 'mapped' : hasOtherNames(e) ? 'hard-links' : null;
                if (reason === null) {
                    plan.truncatedFiles++;
                    plan.truncatedBytes += e.st.size;
                    addByPath(plan.truncated, entry);
                    return true;
                }
                plan.heldUnlinkedFiles++;
                plan.heldUnlinkedBytes += e.st.size;
                addByPath(plan.heldUnlinked, { ...entry, reason });
            }
            check(e);
            listing?.leaf(e.rel, e.kind, e.st.size);
            if (e.kind === 'file') {
                plan.files++;
                plan.bytes += e.st.size;
            }
            else {
                plan.others++;
            }
            return false;
        },
        leaveDir(e, stays) {
            // The target directory itself stays, emptied, unless remove-target-dirs.
            listing?.dir(e.rel, stays || (e === top && plan.keptTarget));
            if (stays)
                plan.keptDirs++;
            else if (!(e === top && plan.keptTarget)) {
                check(e);
                plan.dirs++;
            }
            return stays;
        },
        error(path, err) {
            const code = err?.code ?? 'UNKNOWN';
            if (options.access && (0,errors/* isPermissionCode */.bQ)(code))
                plan.deniedRootCan++;
            if (plan.unreadable.length < KEPT_LIST_LIMIT)
                plan.unreadable.push({ path, code, message: `cannot be read: ${(0,errors/* errorMessage */.gJ)(err).split(', ')[0]}` });
        }
    };
    try {
        await (0,walk/* visit */.Y)(top, rootDir, policy, counter, pacer);
    }
    finally {
        target.parent.close();
        finishKept(plan.kept);
        finishByPath(plan.truncated);
        finishByPath(plan.heldUnlinked);
        finishByPath(plan.denied);
        if (listing)
            plan.listing = listing.finish();
    }
    return plan;
}
/** A held file with other names is unlinked, never truncated (the executor re-checks on the open file). */
function hasOtherNames(e) {
    try {
        return (0,fs_anchor/* lstatAt */.ag)(e.parent, e.name).nlink > 1;
    }
    catch {
        return false; // gone or unreadable now: the executor finds out
    }
}
function isOtherMount(root, parent, name, st) {
    if (st.dev !== root.dev)
        return true;
    try {
        const dir = (0,lookup/* openCheckedDir */.H)(parent, name, st);
        const other = !root.sameMount(dir);
        dir.close();
        return other;
    }
    catch {
        return false; // not openable now: the walk reports it
    }
}


/***/ }),

/***/ 7542:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   BV: () => (/* binding */ createPolicy),
/* harmony export */   FI: () => (/* binding */ LOCK_FILE),
/* harmony export */   bU: () => (/* binding */ validateTargets),
/* harmony export */   dI: () => (/* binding */ TRASH_DIR),
/* harmony export */   jz: () => (/* binding */ BUILTIN_PROTECTED),
/* harmony export */   rg: () => (/* binding */ checkPattern)
/* harmony export */ });
/* harmony import */ var ignore__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(298);
/* harmony import */ var ignore__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(ignore__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _common_errors_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(1922);
/* harmony import */ var _common_options_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(2043);
/**
 * What may be deleted. Protected patterns use gitignore semantics through `ignore`: a pattern
 * without a slash matches that whole segment at any depth (so `models` protects `a/models/x`
 * but not `data/modelsx`), and a match on a directory covers everything beneath it.
 * The built-in patterns live in their own matcher so a user's `!pattern` can never unprotect them.
 */



const BUILTIN_PROTECTED = [
    'models',
    'config',
    'src',
    'scripts',
    'docs',
    '.git',
    '.gitignore',
    '.env',
    '.env.example',
    'requirements.txt',
    'Dockerfile.strategy',
    'Dockerfile.api',
    'docker-compose.prod.yml'
];
/** safe-purge's own lock file in the root (see lock.ts); never a target. */
const LOCK_FILE = '.safe-purge.lock';
/** safe-purge's trash in the root (strategy move, see trash.ts); never a target, never protected or fingerprinted. */
const TRASH_DIR = '.safe-purge-trash';
/** How many paths a matcher may cache before it is rebuilt (`ignore` caches every path it sees). */
const MATCHER_CACHE_LIMIT = 20000;
/** A pattern that can only match a single path segment (no slash but a trailing one). */
function isNamePattern(p) {
    return !p.replace(/\/+$/, '').includes('/');
}
/** A name pattern with no wildcard, escape, negation or comment: it matches one literal name. */
function isLiteralName(p) {
    return isNamePattern(p) && !/[*?[\]\\!#]/.test(p) && p.trim() === p;
}
/** `exact` are root-relative files in use by this run (compose files, the config file). */
function createPolicy(extra, exact = [], names = _common_options_js__WEBPACK_IMPORTED_MODULE_1__/* .ACTION_NAMES */ .G) {
    const cleanExtra = extra.map((p, i) => checkPattern(p, i, names('protected')));
    const exactSet = new Set(exact);
    // Last segments of the exact paths: most entries are ruled out without hashing their whole path.
    const exactNames = new Set(exact.map((p) => p.slice(p.lastIndexOf('/') + 1)));
    // With only positive name patterns, an entry under an unprotected parent is decided by its name.
    const extraByName = cleanExtra.every((p) => !p.startsWith('!') && isNamePattern(p));
    // Literal names (every built-in, usually the extras too) are a set lookup, not a pattern match.
    // `ignore` matches case-insensitively by default; the sets do the same, so they never protect less.
    const literal = extraByName && cleanExtra.every(isLiteralName);
    const anyNames = new Set([...BUILTIN_PROTECTED, ...cleanExtra].filter((p) => !p.endsWith('/')).map((p) => p.toLowerCase()));
    const dirNames = new Set(cleanExtra.filter((p) => p.endsWith('/')).map((p) => p.replace(/\/+$/, '').toLowerCase()));
    let calls = 0;
    let builtinMatcher = ignore__WEBPACK_IMPORTED_MODULE_0___default()().add([...BUILTIN_PROTECTED]);
    let extraMatcher = ignore__WEBPACK_IMPORTED_MODULE_0___default()().add(cleanExtra);
    // Memory stays flat on a million-file walk: the matchers' caches are dropped now and then.
    const matchers = () => {
        if (++calls > MATCHER_CACHE_LIMIT) {
            calls = 0;
            builtinMatcher = ignore__WEBPACK_IMPORTED_MODULE_0___default()().add([...BUILTIN_PROTECTED]);
            extraMatcher = ignore__WEBPACK_IMPORTED_MODULE_0___default()().add(cleanExtra);
        }
        return [builtinMatcher, extraMatcher];
    };
    return {
        builtin: BUILTIN_PROTECTED,
        extra: cleanExtra,
        exact: [...exactSet],
        literalNames: literal ? { names: [...anyNames], dirNames: [...dirNames] } : null,
        isProtected(rel, isDir) {
            if (exactSet.has(rel))
                return true;
            const probe = isDir ? `${rel}/` : rel;
            const [b, e] = matchers();
            return b.ignores(probe) || e.ignores(probe);
        },
        isProtectedChild(rel, isDir) {
            return childDecision(rel.slice(rel.lastIndexOf('/') + 1), isDir, rel, '');
        },
        isProtectedIn(dirRel, name, isDir) {
            return childDecision(name, isDir, null, dirRel);
        }
    };
    /** isProtectedChild's answer; the entry's path is `rel`, or built from `dirRel` only when needed. */
    function childDecision(name, isDir, rel, dirRel) {
        if (exactNames.has(name) && exactSet.has(rel ?? joinRel(dirRel, name)))
            return true;
        if (literal) {
            const lower = name.toLowerCase();
            return anyNames.has(lower) || (isDir && dirNames.has(lower));
        }
        const [b, e] = matchers();
        // Every built-in is a name pattern, so the name alone decides.
        if (b.ignores(isDir ? `${name}/` : name))
            return true;
        if (cleanExtra.length === 0)
            return false;
        if (extraByName)
            return e.ignores(isDir ? `${name}/` : name);
        const p = rel ?? joinRel(dirRel, name);
        return e.ignores(isDir ? `${p}/` : p);
    }
}
function joinRel(dirRel, name) {
    return dirRel === '' ? name : `${dirRel}/${name}`;
}
/** A protected pattern as given: not empty, no NUL (`opt` names where it was written). */
function checkPattern(pattern, index, opt) {
    if (typeof pattern !== 'string' || pattern.includes('\0')) {
        throw (0,_common_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .fail */ .fJ)('ERR_BAD_PATTERN', `${opt} pattern #${index + 1} is not a valid pattern: remove it from ${opt}`);
    }
    const p = pattern.trim();
    if (p === '')
        throw (0,_common_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .fail */ .fJ)('ERR_BAD_PATTERN', `${opt} pattern #${index + 1} is empty: remove the blank entry from ${opt}`);
    return p;
}
/**
 * Validates and normalizes the ephemeral entries before anything is touched. Each must be a plain
 * root-relative path (a leading `./` and trailing `/` are tolerated), not protected, not the root.
 * Entries nested in another entry are dropped (the outer one covers them).
 */
function validateTargets(entries, policy, names = _common_options_js__WEBPACK_IMPORTED_MODULE_1__/* .ACTION_NAMES */ .G) {
    const opt = names('ephemeral');
    if (entries.length === 0) {
        throw (0,_common_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .fail */ .fJ)('ERR_NO_TARGETS', `${opt} is empty: list at least one root-relative path to purge (e.g. logs)`);
    }
    const normalized = entries.map((e) => normalizeTarget(e, policy, opt));
    const unique = [...new Set(normalized)].sort();
    // A protected path inside a target (`logs/keep/`, `data/temp/*.ckpt`, a compose file) is kept by
    // the walk with the directories leading to it, like a name pattern's match, and verified after.
    return unique.filter((t) => !unique.some((o) => o !== t && t.startsWith(`${o}/`)));
}
function normalizeTarget(entry, policy, opt) {
    const shown = JSON.stringify(entry);
    const bad = (why) => (0,_common_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .fail */ .fJ)('ERR_BAD_TARGET', `${opt} entry ${shown} ${why}`);
    if (typeof entry !== 'string')
        throw bad('is not a string: list root-relative paths such as logs');
    if (entry.includes('\0'))
        throw bad(`contains a NUL byte: remove it from ${opt}`);
    const trimmed = entry.trim();
    if (trimmed === '')
        throw bad(`is empty: remove the blank entry from ${opt}`);
    // `ephemeral: logs, data/redis` in YAML is one string: purging "a path named that" would find
    // nothing and report success.
    if (/,\s/.test(trimmed) || /^\[.*\]$/.test(trimmed)) {
        throw bad(`looks like several paths on one line: give one path per line (one per line in the input, a YAML list in the config file, or ${opt} once per path)`);
    }
    if (trimmed.startsWith('/'))
        throw bad('is absolute: give it relative to root (e.g. logs, not /app/logs)');
    if (trimmed.startsWith('~'))
        throw bad('starts with ~, which is not expanded: give it relative to root');
    const rel = trimmed.replace(/^(\.\/)+/, '').replace(/\/+$/, '');
    if (rel === '' || rel === '.')
        throw bad('is the root itself: safe-purge never removes the root; name the subpaths to purge');
    const segments = rel.split('/');
    if (segments.includes('..'))
        throw bad('contains "..": targets must stay inside root');
    if (segments.some((s) => s === '' || s === '.'))
        throw bad('is not a plain path (empty or "." segment): write it like data/redis');
    if (rel === LOCK_FILE || rel.startsWith(`${LOCK_FILE}.`))
        throw bad(`is safe-purge's own lock file: remove it from ${opt}`);
    if (rel === TRASH_DIR || rel.startsWith(`${TRASH_DIR}/`))
        throw bad(`is safe-purge's own trash, which runs delete themselves: remove it from ${opt}`);
    if (policy.isProtected(rel, true) || policy.isProtected(rel, false)) {
        throw (0,_common_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .fail */ .fJ)('ERR_TARGET_PROTECTED', `${opt} entry ${shown} is protected: remove it from ${opt} (protected paths are never purged)`);
    }
    return rel;
}


/***/ }),

/***/ 9992:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   dp: () => (/* binding */ privilegedSection),
/* harmony export */   ns: () => (/* binding */ refusePermissions),
/* harmony export */   to: () => (/* binding */ wouldFinish),
/* harmony export */   wk: () => (/* binding */ deniedEntries)
/* harmony export */ });
/* unused harmony exports PRIVILEGED_LIST_LIMIT, userName */
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _common_errors_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(1922);
/* harmony import */ var _common_text_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(2450);
/**
 * What a run says about entries this user cannot delete: the refusal of a real run that could not
 * finish them (before anything changes), and the report's `privileged` section: what the second
 * pass removed, how (sudo, or a container and its image), and why (the entries and their owners);
 * in a dry run, which entries a real run could not delete and which mode would handle them.
 */



/**
 * The mode that would finish what this user cannot delete: the one found, or (a dry run pulls
 * nothing) the container when only its image is missing, which a real run pulls first.
 */
function wouldFinish(availability, image) {
    if (availability?.use)
        return availability.use;
    return availability?.pullable ? { via: 'container', image, pulled: false } : null;
}
/** How many entries the report names (all are counted). */
const PRIVILEGED_LIST_LIMIT = 50;
function deniedEntries(plan) {
    let rootCan = 0;
    let first = null;
    let firstBlocked = null;
    for (const t of plan.targets) {
        rootCan += t.deniedRootCan;
        for (const d of t.denied) {
            if (d.rootCan)
                first ??= { path: d.path, why: d.why };
            else
                firstBlocked ??= { path: d.path, why: d.why };
        }
        // Another read error (a directory still filling, one replaced meanwhile) is no permission
        // matter: the purge meets it, and reports it, as it always did.
        for (const u of t.unreadable)
            if ((0,_common_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .isPermissionCode */ .bQ)(u.code))
                first ??= { path: u.path, why: u.message };
    }
    return { rootCan, first, firstBlocked };
}
/**
 * A real run whose plan shows entries this user cannot delete refuses before it stops the stack
 * or changes anything, when no privileged pass can finish them (or nobody can: a flag, a
 * read-only filesystem). `planning`: before the confirmation, a missing image that a pull may
 * bring is no reason to refuse yet (it is pulled once the run is confirmed, then checked again).
 */
function refusePermissions(denied, availability, names, planning) {
    const uid = process.geteuid?.() ?? -1;
    if (denied.firstBlocked !== null) {
        const b = denied.firstBlocked;
        throw (0,_common_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .fail */ .fJ)('ERR_PERMISSION', `refusing to purge: ${(0,_common_text_js__WEBPACK_IMPORTED_MODULE_2__/* .showPath */ .P8)(b.path)} cannot be deleted (${b.why}), by this user or root; clear the flag (chattr -i -a) or make it writable, or drop it from ${names('ephemeral')}; nothing was changed`);
    }
    if (denied.rootCan === 0 || availability?.use || (planning && availability?.pullable))
        return;
    const f = denied.first;
    const tried = availability ? availability.tried.join('; ') : `${names('privileged')} is off`;
    throw (0,_common_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .fail */ .fJ)('ERR_PERMISSION', `refusing to purge: ${denied.rootCan} entr(ies) cannot be deleted by uid ${uid} (first: ${(0,_common_text_js__WEBPACK_IMPORTED_MODULE_2__/* .showPath */ .P8)(f.path)}: ${f.why}) and no privileged pass can finish them (${tried}); set ${names('privileged')} to sudo (a NOPASSWD sudo rule for this user) or container (this user in the docker group, ${names('privileged-image')} present or pullable), or run as root; nothing was changed`);
}
let users = null;
/** The user name of `uid` on this machine (/etc/passwd), or null. */
function userName(uid) {
    if (users === null) {
        users = new Map();
        try {
            for (const line of node_fs__WEBPACK_IMPORTED_MODULE_0___default().readFileSync('/etc/passwd', 'utf8').split('\n')) {
                const [name, , id] = line.split(':');
                if (name && id && /^\d+$/.test(id) && !users.has(Number(id)))
                    users.set(Number(id), name);
            }
        }
        catch {
            // no names: uids only
        }
    }
    return users.get(uid) ?? null;
}
function entry(path, code, owner, why) {
    return { path, code, owner, ownerName: owner === null ? null : userName(owner), why };
}
/** The report's `privileged` section; null when nothing needed a privileged pass. */
function privilegedSection(info, plan, mode, image, dryRun) {
    if (!info)
        return null;
    const entries = [];
    let total = 0;
    if (dryRun) {
        for (const t of plan.targets) {
            for (const d of t.denied)
                if (d.rootCan)
                    entries.push(entry(d.path, d.code, d.owner, d.why));
            for (const u of t.unreadable)
                if ((0,_common_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .isPermissionCode */ .bQ)(u.code))
                    entries.push(entry(u.path, u.code, null, u.message));
            total += t.deniedRootCan;
        }
    }
    else {
        for (const e of info.firstPass)
            entries.push(entry(e.path, e.code, e.owner ?? null, e.message));
        total = info.firstPass.length;
    }
    if (total === 0 && info.ran === null)
        return null;
    const use = info.ran ?? (dryRun ? wouldFinish(info.availability, image) : info.availability?.use) ?? null;
    const wouldPull = dryRun && !info.availability?.use && use !== null;
    const passReport = info.ran?.report ?? null;
    const notes = [...info.notes];
    if (dryRun && info.availability && !use)
        notes.push(`no privileged pass is available: ${info.availability.tried.join('; ')}`);
    if (wouldPull)
        notes.push(`the image ${image} is not on this machine: a real run pulls it first, and refuses before changing anything if it cannot`);
    if (info.ran?.problem)
        notes.push(info.ran.problem);
    // What the pass removed: its own report's totals (merged into the outcome's, so also counted there).
    return {
        mode,
        via: use?.via ?? null,
        image: use?.image ?? null,
        ran: info.ran !== null,
        targets: info.ran?.targets ?? [],
        entries: entries.slice(0, PRIVILEGED_LIST_LIMIT),
        entriesTotal: total,
        removedFiles: passReport?.totals.files ?? 0,
        removedBytes: passReport?.totals.bytes ?? 0,
        notes
    };
}


/***/ }),

/***/ 594:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   FK: () => (/* binding */ buildReport),
/* harmony export */   Fd: () => (/* binding */ previewTargets),
/* harmony export */   Of: () => (/* binding */ refusalOf),
/* harmony export */   xv: () => (/* binding */ VERSION)
/* harmony export */ });
/* harmony import */ var _fs_anchor_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1262);
/* harmony import */ var _plan_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(2878);
/* harmony import */ var _policy_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(7542);
/* harmony import */ var _common_errors_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(1922);
/* harmony import */ var _common_text_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(2450);
/* harmony import */ var _privileged_report_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(9992);
/**
 * Pure: what happened -> the JSON report (the `report` output and the CLI's --json) and the
 * console lines. Every path shown on a terminal goes through showPath (control characters
 * escaped, so a file name cannot forge log lines or workflow commands).
 */







const VERSION = '0.1.0';
function refusalOf(err, message, changed) {
    const code = err?.code;
    return {
        tool: 'safe-purge', version: VERSION, ok: false, verified: false, changed,
        failures: [message], error: { code: typeof code === 'string' ? code : 'ERR_UNEXPECTED', message }
    };
}
/** The plan's targets as report rows: what a run would do (`not-run` when a real run stopped before). */
function previewTargets(plan, dryRun) {
    return plan.targets.map((p) => {
        const result = p.status !== 'present' ? p.status
            : !dryRun ? 'not-run'
                : !p.counted ? 'to-purge'
                    : p.keptTotal > 0 || p.unreadable.length > 0 ? 'would-purge-kept'
                        : 'would-purge';
        // A real run that stopped before the purge removed nothing: its rows count nothing.
        const counts = dryRun
            ? { files: p.files, bytes: p.bytes, dirs: p.dirs, others: p.others, truncatedFiles: p.truncatedFiles, truncatedBytes: p.truncatedBytes, heldUnlinkedFiles: p.heldUnlinkedFiles, heldUnlinkedBytes: p.heldUnlinkedBytes }
            : { files: 0, bytes: 0, dirs: 0, others: 0, ...(0,_plan_js__WEBPACK_IMPORTED_MODULE_1__/* .emptyHeldTally */ .VW)() };
        const held = dryRun ? { truncated: p.truncated, heldUnlinked: p.heldUnlinked } : { truncated: [], heldUnlinked: [] };
        return { path: p.path, result, reason: p.reason, ...counts, ...held, kept: p.kept, keptTotal: p.keptTotal, keptDirs: dryRun ? p.keptDirs : 0, ...(p.counted ? {} : { counted: false }), ...(dryRun && p.listing ? { listing: p.listing } : {}) };
    });
}
function buildReport(x) {
    const dry = x.settings.dryRun;
    const preview = previewTargets(x.plan, dry);
    const trash = x.trash;
    const purged = new Map((trash?.purge?.targets ?? []).map((t) => [t.path, t]));
    const targets = preview.map((p, i) => {
        const o = x.outcome?.targets[i];
        if (!o)
            return dry && trash?.moved.includes(p.path) ? { ...p, result: 'would-move' } : p;
        // A moved target counts what its trash deletion removed, once that ran (trash: now).
        const t = purged.get(o.path);
        if (o.result === 'moved' && t !== undefined) {
            return { ...p, result: 'moved', files: t.files, bytes: t.bytes, dirs: t.dirs, others: t.others, truncated: [], heldUnlinked: [], kept: [], keptTotal: 0, keptDirs: 0 };
        }
        return {
            path: o.path, result: o.result, reason: o.reason, files: o.files, bytes: o.bytes, dirs: o.dirs, others: o.others,
            truncatedFiles: o.truncatedFiles, truncatedBytes: o.truncatedBytes, heldUnlinkedFiles: o.heldUnlinkedFiles, heldUnlinkedBytes: o.heldUnlinkedBytes,
            truncated: o.truncated, heldUnlinked: o.heldUnlinked, kept: o.kept, keptTotal: o.keptTotal, keptDirs: o.keptDirs
        };
    });
    const errors = [...(x.outcome?.errors ?? [])];
    if (dry) {
        // What the plan could not read, or could not unlink, a real run could not delete: the dry run
        // says so now, unless a privileged pass would finish it (then the privileged section lists it).
        const passWould = (0,_privileged_report_js__WEBPACK_IMPORTED_MODULE_3__/* .wouldFinish */ .to)(x.privileged?.availability, x.settings.privilegedImage) !== null;
        for (const t of x.plan.targets) {
            for (const u of t.unreadable) {
                if (passWould && (0,_common_errors_js__WEBPACK_IMPORTED_MODULE_4__/* .isPermissionCode */ .bQ)(u.code))
                    continue;
                errors.push({ path: u.path, code: u.code, message: u.message, hint: (0,_common_errors_js__WEBPACK_IMPORTED_MODULE_4__/* .recoveryHint */ .XS)(u.code, u.path) });
            }
            for (const d of t.denied) {
                if (passWould && d.rootCan)
                    continue;
                errors.push({ path: d.path, code: d.code, message: `cannot be deleted: ${d.why}`, hint: (0,_common_errors_js__WEBPACK_IMPORTED_MODULE_4__/* .recoveryHint */ .XS)(d.code, d.path), ...(d.owner !== null ? { owner: d.owner } : {}) });
            }
        }
    }
    for (const t of targets) {
        if (t.result === 'refused' && !errors.some((e) => e.path === t.path)) {
            errors.push({ path: t.path, code: 'EREFUSED', message: `refused: ${t.reason}`, hint: (0,_common_errors_js__WEBPACK_IMPORTED_MODULE_4__/* .recoveryHint */ .XS)('EREFUSED', t.path) });
        }
    }
    const v = x.verification;
    const dockerOk = x.docker.errors.length === 0 && (x.docker.verification?.ok ?? true);
    const checksPassed = v.missing.length === 0 && v.changed.length === 0 && v.leftovers.length === 0 && dockerOk;
    // A dry run purged nothing, so it verified nothing: `verified` is false there. Its checks (the
    // protected paths did not change while it ran) are in `verification`.
    const verified = !dry && checksPassed;
    const failures = [...x.failures];
    if (v.missing.length + v.changed.length > 0) {
        failures.push(`verification failed: ${v.missing.length} protected path(s) missing and ${v.changed.length} changed (first: ${(0,_common_text_js__WEBPACK_IMPORTED_MODULE_5__/* .showPath */ .P8)(v.missing[0] ?? v.changed[0]?.path ?? '')})`);
    }
    if (errors.length > 0) {
        const what = dry ? 'entr(ies) a real run could not delete' : 'deletion error(s)';
        failures.push(`${errors.length} ${what}; first: ${(0,_common_text_js__WEBPACK_IMPORTED_MODULE_5__/* .showPath */ .P8)(errors[0].path)}: ${(0,_common_text_js__WEBPACK_IMPORTED_MODULE_5__/* .showPath */ .P8)(errors[0].message)}`);
    }
    if (v.leftovers.length > 0)
        failures.push(`verification failed: ${v.leftovers.length} target(s) still hold deletable entries (first: ${(0,_common_text_js__WEBPACK_IMPORTED_MODULE_5__/* .showPath */ .P8)(v.leftovers[0].path)})`);
    for (const e of x.docker.errors)
        failures.push(`docker: ${e}`);
    for (const p of x.docker.verification?.problems ?? [])
        failures.push(`docker verification failed: ${p}`);
    const totals = { files: 0, bytes: 0, dirs: 0, others: 0, ...(0,_plan_js__WEBPACK_IMPORTED_MODULE_1__/* .emptyHeldTally */ .VW)() };
    for (const t of targets)
        (0,_plan_js__WEBPACK_IMPORTED_MODULE_1__/* .addTally */ .c8)(totals, t);
    const freed = totals.bytes + totals.truncatedBytes;
    const reclaimed = x.reclaimed ?? null;
    const warnings = [...x.warnings];
    // Freed is what the purge counted; reclaimed is what the filesystem gained. Far apart, a process
    // still holds unlinked files (one this user cannot see), or something else wrote meanwhile.
    if (reclaimed !== null && freed >= 16 * 1024 * 1024 && reclaimed < freed / 2) {
        const held = totals.heldUnlinkedFiles > 0 ? `; ${totals.heldUnlinkedFiles} held-open file(s) (${(0,_common_text_js__WEBPACK_IMPORTED_MODULE_5__/* .formatBytes */ .z3)(totals.heldUnlinkedBytes)}) had to be unlinked` : '';
        warnings.push(`the filesystem gained ${(0,_common_text_js__WEBPACK_IMPORTED_MODULE_5__/* .formatBytes */ .z3)(Math.max(0, reclaimed))} of the ${(0,_common_text_js__WEBPACK_IMPORTED_MODULE_5__/* .formatBytes */ .z3)(freed)} freed: files are likely still held open by processes this user cannot see (other users' /proc without root) or that keep writing${held}`);
    }
    const done = dry ? ['would-purge', 'would-purge-kept', 'would-move'] : ['purged', 'purged-kept', 'moved'];
    return {
        tool: 'safe-purge',
        version: VERSION,
        root: x.root.path,
        dryRun: dry,
        ok: failures.length === 0,
        verified,
        failures,
        cancelled: !x.cancelled ? null : x.outcome ? 'during-purge' : 'before-purge',
        startedAt: x.started.toISOString(),
        finishedAt: x.finished.toISOString(),
        durationMs: x.finished.getTime() - x.started.getTime(),
        timings: x.timings,
        walker: (0,_fs_anchor_js__WEBPACK_IMPORTED_MODULE_0__/* .walkerStatus */ .TP)(),
        targets,
        deleted: targets.filter((t) => done.includes(t.result)).map((t) => t.path),
        totals,
        space: { freedBytes: freed, reclaimedBytes: reclaimed },
        protected: { builtin: _policy_js__WEBPACK_IMPORTED_MODULE_2__/* .BUILTIN_PROTECTED */ .jz, extra: x.settings.protected, roots: v.protectedRoots, entries: x.before.entries.size },
        errors,
        warnings,
        verification: { ok: checksPassed, checked: v.checked, missing: v.missing, changed: v.changed, leftovers: v.leftovers },
        privileged: (0,_privileged_report_js__WEBPACK_IMPORTED_MODULE_3__/* .privilegedSection */ .dp)(x.privileged, x.plan, x.settings.privileged, x.settings.privilegedImage, dry),
        strategy: x.settings.strategy,
        trash: trash === undefined || (trash.strategy === 'purge' && trash.leftoverRuns.length === 0 && trash.kept.length === 0)
            ? null
            : {
                dir: `${x.root.path}/${_policy_js__WEBPACK_IMPORTED_MODULE_2__/* .TRASH_DIR */ .dI}`, timing: trash.timing, run: trash.run, moved: trash.moved, inPlace: trash.inPlace,
                pending: !dry && trash.run !== null && trash.purge === null && trash.handedOff, purge: trash.purge, leftovers: trash.leftovers, leftoverRuns: trash.leftoverRuns, kept: trash.kept
            },
        docker: {
            mode: x.docker.mode,
            used: x.docker.active,
            skipped: x.docker.skipped ?? null,
            compose: x.docker.compose ? `${x.docker.compose.command.join(' ')} (${x.docker.compose.version})` : null,
            stacks: x.docker.stacks.map((s) => ({
                project: s.project, files: s.files, workingDir: s.workingDir, foundBy: s.foundBy, stoppedBy: s.stoppedBy,
                filesUnusable: s.filesUnusable, containers: s.containers, exited: s.exited
            })),
            writers: x.docker.writers,
            keptRunning: x.settings.keepRunning && x.docker.active,
            services: x.docker.services ?? null,
            project: x.docker.project,
            files: x.docker.files,
            containers: x.docker.containers,
            exited: x.docker.exited,
            stopped: x.docker.stopped,
            volumes: x.docker.volumes,
            removedVolumes: x.docker.removedVolumes,
            errors: x.docker.errors,
            verification: x.docker.verification ?? null
        }
    };
}


/***/ }),

/***/ 3198:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  Qc: () => (/* binding */ changesSomething),
  L1: () => (/* binding */ confirmByName),
  eF: () => (/* binding */ run)
});

// UNUSED EXPORTS: CHANGING_PHASES, PHASE_DOCKER_START, PHASE_DOCKER_STOP, PHASE_PRIVILEGED, PHASE_PURGE, PHASE_TRASH, prepare

// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(8161);
var external_node_os_default = /*#__PURE__*/__webpack_require__.n(external_node_os_);
// EXTERNAL MODULE: ./src/fs/root-guard.ts
var root_guard = __webpack_require__(9599);
// EXTERNAL MODULE: ./src/engine/policy.ts
var engine_policy = __webpack_require__(7542);
// EXTERNAL MODULE: ./src/engine/plan.ts + 1 modules
var engine_plan = __webpack_require__(2878);
// EXTERNAL MODULE: ./src/engine/execute.ts + 2 modules
var execute = __webpack_require__(3945);
// EXTERNAL MODULE: ./src/fs/entries.ts
var entries = __webpack_require__(4703);
// EXTERNAL MODULE: ./src/fs/anchor.ts
var fs_anchor = __webpack_require__(1262);
// EXTERNAL MODULE: ./src/fs/lookup.ts
var lookup = __webpack_require__(7673);
;// CONCATENATED MODULE: ./src/engine/fingerprint.ts




/**
 * `skip`: root-relative paths not to enter (a dry run's targets, which it never changes); the
 * trash never is (strategy move): it holds what was deleted, nothing protected.
 */
function takeFingerprint(rootDir, policy, skip = new Set()) {
    const fp = { entries: new Map(), roots: [] };
    walkDir(rootDir, '', false, policy, fp, null, new Set([...skip, engine_policy/* TRASH_DIR */.dI]));
    return fp;
}
function record(st, kind) {
    return kind === 'dir'
        ? { kind, ino: st.ino, size: 0, mtimeMs: 0 }
        : { kind, ino: st.ino, size: st.size, mtimeMs: st.mtimeMs };
}
/** Opens `name` (a directory; never through a link) and walks it. */
function descend(parent, name, rel, st, inProtected, policy, fp, root, skip) {
    let child;
    try {
        child = st ? (0,lookup/* openCheckedDir */.H)(parent, name, st) : parent.openChild(name);
    }
    catch {
        const e = fp.entries.get(rel);
        if (e)
            e.unreadable = true;
        return;
    }
    try {
        walkDir(child, rel, inProtected, policy, fp, root, skip);
    }
    finally {
        child.close();
    }
}
function walkDir(dirA, dirRel, inProtected, policy, fp, root, skip) {
    try {
        for (const d of (0,entries/* typedEntries */.vj)(dirA)) {
            const name = d.name;
            const text = name.toString('utf8');
            const rel = dirRel === '' ? text : `${dirRel}/${text}`;
            if (skip?.has(rel))
                continue;
            // The directory entry's own type (d_type) decides most entries without a stat: an
            // unprotected file costs nothing but the policy check; a directory is opened directly.
            const typed = d.kind;
            if (!inProtected && typed !== null && !policy.isProtectedIn(dirRel, text, typed === 'dir')) {
                if (typed === 'dir')
                    descend(dirA, name, rel, null, false, policy, fp, null, skip);
                continue;
            }
            let st;
            try {
                st = (0,fs_anchor/* lstatAt */.ag)(dirA, name);
            }
            catch {
                continue;
            }
            const kind = (0,entries/* kindOf */.I)(st);
            const isProtected = inProtected || policy.isProtectedIn(dirRel, text, kind === 'dir');
            let myRoot = root;
            if (isProtected) {
                const entry = record(st, kind);
                if (kind === 'symlink') {
                    try {
                        entry.link = (0,fs_anchor/* readlinkAt */.cN)(dirA, name);
                    }
                    catch {
                        entry.unreadable = true;
                    }
                }
                fp.entries.set(rel, entry);
                if (!inProtected) {
                    myRoot = { path: rel, kind, entries: 0 };
                    fp.roots.push(myRoot);
                }
                if (myRoot)
                    myRoot.entries++;
            }
            if (kind === 'dir')
                descend(dirA, name, rel, st, isProtected, policy, fp, isProtected ? myRoot : null, skip);
        }
    }
    catch {
        // An unreadable directory: inside protected ground it is marked, before and after alike.
        const e = fp.entries.get(dirRel);
        if (e)
            e.unreadable = true;
    }
}
/** What changed among the entries that existed before. New entries are not losses and are ignored. */
function diffFingerprints(before, after) {
    const missing = [];
    const changed = [];
    for (const [path, b] of before.entries) {
        const a = after.entries.get(path);
        if (!a) {
            missing.push(path);
            continue;
        }
        const what = [];
        if (a.kind !== b.kind)
            what.push(`type ${b.kind} -> ${a.kind}`);
        if (a.ino !== b.ino)
            what.push('inode');
        if (a.size !== b.size)
            what.push(`size ${b.size} -> ${a.size}`);
        if (a.mtimeMs !== b.mtimeMs)
            what.push('mtime');
        if (a.link !== b.link)
            what.push('link target');
        if (what.length > 0)
            changed.push({ path, what: what.join(', ') });
    }
    return { missing, changed };
}

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
var external_node_fs_default = /*#__PURE__*/__webpack_require__.n(external_node_fs_);
;// CONCATENATED MODULE: ./src/fs/holders.ts
/**
 * Which running processes hold regular files open, read from /proc (Linux only).
 *
 * Why: an unlinked file keeps its blocks for as long as a process holds it open, so purging a
 * log a running service still writes frees nothing (measured: a 286 MiB log, 3.6 MB gained).
 * The executor truncates such a file in place instead (truncate.ts), unless a process maps it:
 * truncating a mapped file kills that process with SIGBUS when it next touches the mapping.
 *
 * How: each process's file descriptors (a stat of /proc/<pid>/fd/<n> follows the magic link to the
 * open file, unlinked or not, and gives its device+inode without opening anything) and its file
 * mappings (/proc/<pid>/maps). Only files on the devices asked about are recorded: every deletion
 * is on the root's filesystem, since mounts are never crossed.
 *
 * Quirks: processes come and go during the scan (ENOENT/ESRCH are normal); another user's fd and
 * maps are unreadable without privilege (EACCES), so such processes are counted, never guessed at;
 * kernel threads hold no files and are skipped. This process is skipped too: the purge holds
 * only directories open (its anchors) and never a file it deletes. Without /proc nothing is
 * found, and files are unlinked as before.
 */

const SAMPLE = 10;
const PF_KTHREAD = 0x00200000;
const keyOf = (n) => `${n.dev}:${n.ino}`;
/** Regular files held open by running processes, by device+inode. */
class HeldFiles {
    files;
    available;
    uninspected;
    constructor(files, 
    /** False where /proc could not be listed: nothing is known about open files. */
    available, uninspected) {
        this.files = files;
        this.available = available;
        this.uninspected = uninspected;
    }
    /** Nothing held (what a run that does not look assumes). */
    static none() {
        return new HeldFiles(new Map(), true, { count: 0, sample: [] });
    }
    /** These nodes, as if held by no one in particular (verification: files the purge truncated). */
    static of(nodes) {
        const files = new Map();
        for (const n of nodes)
            files.set(keyOf(n), { holders: [], mapped: false });
        return new HeldFiles(files, true, { count: 0, sample: [] });
    }
    /**
     * Scans /proc once: every regular file on one of `devices` that another process holds open (a
     * file descriptor) or maps. `mapsReliable` false (overlayfs, btrfs: /proc/<pid>/maps may name
     * another device or inode than stat does) counts every held file as mapped: a mapping that could
     * not be seen must not be truncated under its process, so such files are unlinked as before.
     */
    static scan(devices, mapsReliable = true) {
        const devs = new Set(devices);
        const mapDevs = new Set([...devs].map(mapsDevice));
        const files = new Map();
        const uninspected = { count: 0, sample: [] };
        if (devs.size === 0)
            return new HeldFiles(files, true, uninspected);
        const listed = eachProcess((pid, base, fds) => {
            const seen = new Map();
            for (const fd of fds) {
                let st;
                try {
                    st = external_node_fs_default().statSync(`${base}/fd/${fd}`, { throwIfNoEntry: false });
                }
                catch {
                    continue; // closed or unreadable meanwhile
                }
                if (st === undefined || !st.isFile() || !devs.has(st.dev))
                    continue;
                const key = keyOf(st);
                if (!seen.has(key))
                    seen.set(key, false);
            }
            for (const key of mappedFiles(base, mapDevs))
                seen.set(key, true);
            if (seen.size === 0)
                return;
            const holder = { pid, command: commandOf(base) };
            for (const [key, mapped] of seen) {
                const f = files.get(key);
                if (f === undefined)
                    files.set(key, { holders: [holder], mapped: mapped || !mapsReliable });
                else {
                    f.holders.push(holder);
                    f.mapped ||= mapped;
                }
            }
        }, (pid, base) => {
            uninspected.count++;
            if (uninspected.sample.length < SAMPLE)
                uninspected.sample.push({ pid, command: commandOf(base) });
        });
        return new HeldFiles(files, listed, uninspected);
    }
    /** Who holds this node open, or undefined when no inspected process does. */
    get(node) {
        return this.files.size === 0 ? undefined : this.files.get(keyOf(node));
    }
    /** How many held files are known. */
    get size() {
        return this.files.size;
    }
}
/**
 * The device+inode keys of files on `mapDevs` that the process maps. Lines of maps read
 * `start-end perms offset MM:mm inode path`, the device in hex as the kernel prints it.
 */
function mappedFiles(base, mapDevs) {
    let text;
    try {
        text = external_node_fs_default().readFileSync(`${base}/maps`, 'latin1');
    }
    catch {
        return []; // gone, or unreadable: its fds were readable, so this is a race with its exit
    }
    const out = [];
    for (const line of text.split('\n')) {
        const f = line.split(/\s+/, 5);
        if (f.length < 5 || f[4] === '0' || !mapDevs.has(f[3]))
            continue;
        const [major, minor] = f[3].split(':').map((h) => parseInt(h, 16));
        out.push(`${deviceNumber(major, minor)}:${f[4]}`);
    }
    return out;
}
/** st_dev as glibc encodes it (makedev), from the major and minor numbers. */
function deviceNumber(major, minor) {
    return Number((BigInt(major & 0xfff) << 8n) | (BigInt(major >>> 12) << 44n) | BigInt(minor & 0xff) | (BigInt(minor >>> 8) << 20n));
}
/** A device number as /proc/<pid>/maps prints it: "%02x:%02x" of its major and minor. */
function mapsDevice(dev) {
    const d = BigInt(dev);
    const major = Number(((d >> 8n) & 0xfffn) | ((d >> 32n) & 0xfffff000n));
    const minor = Number((d & 0xffn) | ((d >> 12n) & 0xffffff00n));
    return `${major.toString(16).padStart(2, '0')}:${minor.toString(16).padStart(2, '0')}`;
}
function commandOf(base) {
    try {
        return external_node_fs_default().readFileSync(`${base}/comm`, 'utf8').replace(/\n$/, '');
    }
    catch {
        return '?';
    }
}
/** Kernel threads (PF_KTHREAD in /proc/<pid>/stat's flags, field 9) hold no files. */
function isKernelThread(base) {
    try {
        const stat = external_node_fs_default().readFileSync(`${base}/stat`, 'latin1');
        // The command (field 2) may hold spaces and parentheses: count fields after its closing one.
        const flags = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[6]);
        return (flags & PF_KTHREAD) !== 0;
    }
    catch {
        return false;
    }
}
/** statfs types whose /proc/<pid>/maps entries may not match stat's device and inode. */
const MAPS_UNRELIABLE = new Set([0x794c7630 /* overlayfs */, 0x9123683e /* btrfs */]);
/** Whether mappings of files on the filesystem holding `path` can be matched by device and inode. */
function mapsReliableAt(path) {
    try {
        return !MAPS_UNRELIABLE.has(external_node_fs_default().statfsSync(path).type);
    }
    catch {
        return false;
    }
}
/**
 * Processes using something under one of `dirs` (absolute paths): an open file, their working
 * directory or root, by the path /proc shows for it. Strategy move asks this before renaming a
 * target aside: such a process would keep writing into the trash, so that target is purged in
 * place (its held files truncated) instead. Processes that cannot be inspected are counted.
 */
function usersUnder(dirs) {
    const users = new Map();
    let uninspected = 0;
    if (dirs.length === 0)
        return { users, uninspected };
    const within = (p) => dirs.find((d) => p === d || p.startsWith(`${d}/`));
    eachProcess((pid, base, fds) => {
        const hits = new Set();
        for (const link of ['cwd', 'root', ...fds.map((fd) => `fd/${fd}`)]) {
            try {
                const d = within(external_node_fs_default().readlinkSync(`${base}/${link}`).replace(/ \(deleted\)$/, ''));
                if (d !== undefined)
                    hits.add(d);
            }
            catch {
                // closed meanwhile
            }
        }
        for (const d of hits)
            users.set(d, [...(users.get(d) ?? []), { pid, command: commandOf(base) }]);
    }, () => uninspected++);
    return { users, uninspected };
}
/**
 * Visits every other process with the names of its open fds. A process whose fds cannot be listed
 * (another user's, without root) goes to `uninspectable`; kernel threads and processes gone
 * meanwhile are skipped. False when /proc cannot be listed at all.
 */
function eachProcess(visit, uninspectable) {
    let pids;
    try {
        pids = external_node_fs_default().readdirSync('/proc').filter((n) => /^[1-9]\d*$/.test(n));
    }
    catch {
        return false;
    }
    for (const name of pids) {
        const pid = Number(name);
        if (pid === process.pid)
            continue;
        const base = `/proc/${name}`;
        let fds;
        try {
            fds = external_node_fs_default().readdirSync(`${base}/fd`);
        }
        catch (err) {
            const code = err.code;
            if (code !== 'ENOENT' && code !== 'ESRCH' && !isKernelThread(base))
                uninspectable(pid, base);
            continue;
        }
        visit(pid, base, fds);
    }
    return true;
}

;// CONCATENATED MODULE: ./src/engine/verify.ts



async function verifyProtected(rootDir, policy, before, plan, outcome, dryRun, skip) {
    const after = takeFingerprint(rootDir, policy, skip);
    const { missing, changed } = diffFingerprints(before, after);
    const leftovers = [];
    // In a real run every target must end clean, also when the purge never started (then it is not).
    if (!dryRun) {
        for (const [i, t] of plan.targets.entries()) {
            // A cancelled target is expected to hold what was not reached; the report says so.
            if (t.status !== 'present' || outcome?.targets[i].result === 'cancelled')
                continue;
            // Files the purge truncated are expected to stay (their writers keep appending): counted apart.
            const held = HeldFiles.of(outcome?.targets[i].truncatedNodes ?? []);
            const again = await (0,engine_plan/* scanTarget */.rt)(rootDir, t.path, policy, undefined, true, { removeTargetDirs: plan.removeTargetDirs, held });
            // What cannot even be read is not clean either (a directory of root's that a pass left).
            const left = again.status === 'present' ? again.files + again.others + again.dirs + again.unreadable.length : 0;
            // The counts include the target itself when it would go (a file; a directory removeTargetDirs
            // removes once nothing in it stays): say what is inside.
            const itself = again.kind === 'dir' ? (again.keptTarget || again.keptDirs > 0 ? 0 : 1) : 1;
            if (left > 0)
                leftovers.push({ path: t.path, remaining: left - itself });
        }
    }
    return { checked: before.entries.size, missing, changed, leftovers, protectedRoots: after.roots };
}

// EXTERNAL MODULE: ./src/common/yaml.ts
var yaml = __webpack_require__(7394);
// EXTERNAL MODULE: ./src/common/options.ts
var options = __webpack_require__(2043);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
var external_node_path_default = /*#__PURE__*/__webpack_require__.n(external_node_path_);
// EXTERNAL MODULE: ./src/common/errors.ts
var errors = __webpack_require__(1922);
;// CONCATENATED MODULE: ./src/docker/compose-files.ts
/**
 * Finding the Compose stack of a root without running docker: which files, which project name,
 * which volumes the files declare external. Mirrors Compose's own rules.
 */



 // callers await loadYaml() first

/** Compose's default file names, in its order of preference (compose-go's DefaultFileNames). */
const DEFAULT_COMPOSE_FILES = ['compose.yaml', 'compose.yml', 'docker-compose.yml', 'docker-compose.yaml'];
/** Override files Compose adds to the default file (the first one found), as `up` without -f did. */
const OVERRIDE_COMPOSE_FILES = ['compose.override.yml', 'compose.override.yaml', 'docker-compose.override.yml', 'docker-compose.override.yaml'];
/**
 * The seed's production file (`docker-compose -f docker-compose.prod.yml up -d`): a standalone
 * file, used alone when it is the only compose file; never merged over the default file.
 */
const PROD_COMPOSE_FILE = 'docker-compose.prod.yml';
function isFile(p) {
    try {
        return external_node_fs_default().statSync(p).isFile();
    }
    catch {
        return false;
    }
}
/**
 * Root-relative compose files in use: the given ones (which must exist), else what Compose reads
 * without -f (the first default file, plus the first override file), else the seed's prod file.
 */
function findComposeFiles(root, given, names = options/* ACTION_NAMES */.G) {
    if (given.length > 0) {
        return given.map((f) => {
            const rel = f.trim().replace(/^(\.\/)+/, '');
            // The path is protected by exact match, so it must be written the way the walker sees it.
            if (rel === '' || external_node_path_default().isAbsolute(rel) || rel.split('/').some((seg) => seg === '' || seg === '.' || seg === '..')) {
                throw (0,errors/* fail */.fJ)('ERR_COMPOSE_FILE', `${names('compose-file')} ${JSON.stringify(f)} must be a plain path inside root, relative to it (e.g. deploy/compose.yaml)`);
            }
            if (!isFile(external_node_path_default().join(root, rel))) {
                throw (0,errors/* fail */.fJ)('ERR_COMPOSE_FILE', `${names('compose-file')} ${JSON.stringify(f)} does not exist in root: fix ${names('compose-file')} or leave it empty to use the default files`);
            }
            return rel;
        });
    }
    const found = [];
    const first = DEFAULT_COMPOSE_FILES.find((f) => isFile(external_node_path_default().join(root, f)));
    if (first) {
        found.push(first);
        const override = OVERRIDE_COMPOSE_FILES.find((f) => isFile(external_node_path_default().join(root, f)));
        if (override)
            found.push(override);
    }
    else if (isFile(external_node_path_default().join(root, PROD_COMPOSE_FILE)))
        found.push(PROD_COMPOSE_FILE);
    return found;
}
/** Compose's normalization: lowercase, keep only a-z 0-9 - _, and start with a letter or digit. */
function normalizeProjectName(name) {
    return name.toLowerCase().replace(/[^a-z0-9_-]/g, '').replace(/^[^a-z0-9]+/, '');
}
/** The services the files declare (the union over the files, in order of appearance). */
function declaredServices(root, files, names = options/* ACTION_NAMES */.G) {
    const out = new Set();
    for (const f of files) {
        const services = readDoc(root, f, names).services;
        if (services && typeof services === 'object')
            for (const s of Object.keys(services))
                out.add(s);
    }
    return [...out];
}
function readDoc(root, file, names = options/* ACTION_NAMES */.G) {
    try {
        const doc = (0,yaml/* parseYaml */.h)(external_node_fs_default().readFileSync(external_node_path_default().join(root, file), 'utf8'));
        return doc && typeof doc === 'object' ? doc : {};
    }
    catch (err) {
        throw (0,errors/* fail */.fJ)('ERR_COMPOSE_PARSE', `compose file ${file} cannot be parsed (${err.message.split('\n')[0]}): fix it or set ${names('docker')} to off`);
    }
}
/**
 * COMPOSE_PROJECT_NAME from the `.env` file of the project directory, which Compose (v1 and v2)
 * reads for its own settings: `up` then runs under that name. Last assignment wins, as in Compose.
 */
function dotEnvProjectName(projectDir, names = options/* ACTION_NAMES */.G) {
    let text;
    try {
        text = external_node_fs_default().readFileSync(external_node_path_default().join(projectDir, '.env'), 'utf8');
    }
    catch (err) {
        const code = err.code;
        if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR')
            return '';
        throw (0,errors/* fail */.fJ)('ERR_COMPOSE_ENV', `cannot read ${external_node_path_default().join(projectDir, '.env')} (${code}), where Compose may set COMPOSE_PROJECT_NAME: make it readable or set ${names('compose-project')}`);
    }
    let name = '';
    for (const line of text.split(/\r?\n/)) {
        const m = /^\s*(?:export\s+)?COMPOSE_PROJECT_NAME\s*=\s*(.*)$/.exec(line);
        if (!m)
            continue;
        const v = m[1];
        const quoted = /^(["'])(.*?)\1/.exec(v);
        name = (quoted ? quoted[2] : v.replace(/\s+#.*$/, '')).trim();
    }
    return name;
}
/** A name Compose accepts as is: lowercase a-z 0-9 - _, starting with a letter or digit. */
const VALID_PROJECT_NAME = /^[a-z0-9][a-z0-9_-]*$/;
/**
 * Project name, by Compose's precedence: the compose-project input (-p), else COMPOSE_PROJECT_NAME
 * from the environment, else from the project directory's `.env`, else the last top-level `name:`
 * among the files (later files override earlier ones), else the name of the project directory
 * (the folder of the first compose file; the root when there is none). The input must already be
 * a valid name: normalizing what an operator typed could name, and stop, a different project.
 */
function projectName(root, files, given, env, names = options/* ACTION_NAMES */.G) {
    const explicit = given.trim();
    if (explicit !== '') {
        if (VALID_PROJECT_NAME.test(explicit))
            return explicit;
        throw (0,errors/* fail */.fJ)('ERR_COMPOSE_PROJECT', `${names('compose-project')} ${JSON.stringify(given)} is not a valid Compose project name (only a-z, 0-9, - and _, starting with a letter or digit): set ${names('compose-project')} to the exact name the stack runs under, as docker compose ls or the containers' com.docker.compose.project label show it`);
    }
    const projectDir = files.length > 0 ? external_node_path_default().dirname(external_node_path_default().join(root, files[0])) : root;
    let raw = (env.COMPOSE_PROJECT_NAME ?? '').trim() || dotEnvProjectName(projectDir, names);
    if (raw === '') {
        for (const f of files) {
            const n = readDoc(root, f, names).name;
            if (typeof n === 'string' && n.trim() !== '')
                raw = n.trim();
        }
    }
    if (raw === '')
        raw = external_node_path_default().basename(projectDir);
    const name = normalizeProjectName(raw);
    if (name === '') {
        throw (0,errors/* fail */.fJ)('ERR_COMPOSE_PROJECT', `compose project name ${JSON.stringify(raw)} has no usable characters: set ${names('compose-project')}`);
    }
    return name;
}
/**
 * Volume keys declared external and the real names they refer to, and the name of every declared
 * volume: a volume by such a name may exist without this project's label (an external one, or one
 * Compose adopted), and the report shows it as kept.
 */
function externalVolumes(root, files, names = options/* ACTION_NAMES */.G) {
    const out = { keys: new Set(), names: new Set(), byKey: new Map() };
    for (const f of files) {
        const vols = readDoc(root, f, names).volumes;
        if (!vols || typeof vols !== 'object')
            continue;
        for (const [key, def] of Object.entries(vols)) {
            const ext = def?.external;
            const own = typeof def?.name === 'string' ? def.name : null;
            if (ext === true || (ext && typeof ext === 'object')) {
                const extName = ext && typeof ext === 'object' ? ext.name : undefined;
                const name = own ?? (typeof extName === 'string' ? extName : key);
                out.keys.add(key);
                out.names.add(name);
                out.byKey.set(key, name);
            }
            else if (!out.keys.has(key) && (own !== null || !out.byKey.has(key))) {
                // Later files merge into earlier definitions: a bare mention keeps the earlier name.
                out.byKey.set(key, own);
            }
        }
    }
    return out;
}

;// CONCATENATED MODULE: ./src/docker/volumes.ts
const PROJECT_LABEL = 'com.docker.compose.project';
const VOLUME_LABEL = 'com.docker.compose.volume';
/** The name each declared volume has (`<project>_<key>` unless the files name it) -> its key. */
function declaredNames(t) {
    const out = new Map();
    for (const [key, name] of t.external.byKey)
        out.set(name ?? `${t.project}_${key}`, key);
    for (const name of t.external.names)
        if (!out.has(name))
            out.set(name, name);
    return out;
}
/**
 * Which volumes `full` removes, and why the others stay: only a volume labelled for this project
 * goes. `declared` (name -> key) gives the key of a volume that has no Compose labels.
 */
function decideVolumes(inspected, t, declared = new Map()) {
    return inspected.map((v) => {
        const labels = v.Labels ?? {};
        const key = labels[VOLUME_LABEL] ?? declared.get(v.Name) ?? v.Name;
        const keep = (reason) => ({ name: v.Name, key, action: 'keep', reason });
        const owner = labels[PROJECT_LABEL];
        if (t.external.names.has(v.Name))
            return keep('external');
        if (!owner)
            return keep('not created by Compose (no project label)');
        if (owner !== t.project)
            return keep(`labelled for project ${JSON.stringify(owner)}`);
        if (t.external.keys.has(key))
            return keep('external');
        if (t.protectedVolumes.includes(key) || t.protectedVolumes.includes(v.Name))
            return keep('protected-volumes');
        if (!t.full)
            return keep('full is off');
        return { name: v.Name, key, action: 'remove', reason: 'project volume' };
    });
}

;// CONCATENATED MODULE: ./src/docker/commands.ts

const SERVICE_LABEL = 'com.docker.compose.service';
const dockerServerVersion = () => ({ command: 'docker', args: ['version', '--format', '{{.Server.Version}}'] });
const composeV2Version = () => ({ command: 'docker', args: ['compose', 'version'] });
const composeV1Version = () => ({ command: 'docker-compose', args: ['version'] });
const listContainers = (project) => ({
    command: 'docker',
    args: ['ps', '-a', '--filter', `label=${PROJECT_LABEL}=${project}`, '--format', '{{.Names}}\t{{.State}}']
});
const listVolumes = (project) => ({
    command: 'docker',
    args: ['volume', 'ls', '-q', '--filter', `label=${PROJECT_LABEL}=${project}`]
});
const listAllVolumes = () => ({ command: 'docker', args: ['volume', 'ls', '-q'] });
const inspectVolumes = (names) => ({ command: 'docker', args: ['volume', 'inspect', ...names] });
const removeVolume = (name) => ({ command: 'docker', args: ['volume', 'rm', name] });
/** Every container (any state), by full id. */
const listAllContainers = () => ({ command: 'docker', args: ['ps', '-aq', '--no-trunc'] });
const inspectContainers = (ids) => ({ command: 'docker', args: ['inspect', '--type', 'container', ...ids] });
const stopContainers = (ids) => ({ command: 'docker', args: ['stop', ...ids] });
const removeContainers = (ids) => ({ command: 'docker', args: ['rm', ...ids] });
function compose(c, ...rest) {
    const [command, ...pre] = c.base;
    const dir = c.projectDir === undefined ? [] : ['--project-directory', c.projectDir];
    return { command, args: [...pre, ...c.files.flatMap((f) => ['-f', f]), ...dir, '-p', c.project, ...rest] };
}
function composeDown(base, files, project, projectDir) {
    return compose({ base, files, project, projectDir }, 'down', '--remove-orphans');
}
/** Stops and removes only these services' containers. */
const composeRmServices = (c, services) => compose(c, 'rm', '--stop', '--force', ...services);
/** Starts these services again, and nothing they depend on. */
const composeUpServices = (c, services) => compose(c, 'up', '-d', '--no-deps', ...services);
/** A project's containers (any state), by full id. */
const listProjectContainers = (project) => ({
    command: 'docker',
    args: ['ps', '-aq', '--no-trunc', '--filter', `label=${PROJECT_LABEL}=${project}`]
});
/** A service's containers (any state), by full id. */
const listServiceContainers = (project, service) => ({
    command: 'docker',
    args: ['ps', '-aq', '--no-trunc', '--filter', `label=${PROJECT_LABEL}=${project}`, '--filter', `label=${SERVICE_LABEL}=${service}`]
});
const containerLogs = (id, lines) => ({ command: 'docker', args: ['logs', '--tail', String(lines), id] });
/** Non-blank output lines, trimmed. */
function lines(s) {
    return s.split('\n').map((l) => l.trim()).filter((l) => l !== '');
}
/** States in which `down` has a process to stop; in the others (exited, created, dead) it only removes. */
const RUNNING = new Set(['running', 'paused', 'restarting']);
/** `ps` lines (name, tab, state) -> the names of running containers and of the others. */
function splitByState(psLines) {
    const running = [];
    const exited = [];
    for (const line of psLines) {
        const [name, state = ''] = line.split('\t');
        if (RUNNING.has(state.trim()))
            running.push(name.trim());
        else
            exited.push(name.trim());
    }
    return { running, exited };
}

// EXTERNAL MODULE: external "node:child_process"
var external_node_child_process_ = __webpack_require__(1421);
;// CONCATENATED MODULE: ./src/docker/exec.ts
/**
 * Runs one command from an argument array (never a shell string) with a hard timeout.
 * @actions/exec has no way to time out or kill a hung child (a `docker` waiting on a dead
 * daemon would hold the job until GitHub's 6-hour limit), so this uses child_process directly.
 * The child gets its own process group and the whole group is killed on timeout: the docker CLI
 * runs Compose v2 as a plugin child that would otherwise keep the output pipes open.
 */

const MAX_OUTPUT = 4 * 1024 * 1024;
/** The privileged pass's answer (its JSON report) is read whole up to this size. */
const MAX_ANSWER = 256 * 1024 * 1024;
const runCommand = (cmd, opts) => new Promise((resolve) => {
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    let settled = false;
    const child = (0,external_node_child_process_.spawn)(cmd.command, cmd.args, { env: opts.env ?? process.env, cwd: opts.cwd, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const kill = (sig) => {
        try {
            process.kill(-child.pid, sig);
        }
        catch {
            child.kill(sig);
        }
    };
    const finish = (r) => {
        if (settled)
            return;
        settled = true;
        clearTimeout(timer);
        clearTimeout(killer);
        resolve(r);
    };
    let killer;
    const timer = setTimeout(() => {
        timedOut = true;
        kill('SIGTERM');
        killer = setTimeout(() => kill('SIGKILL'), 2000);
        killer.unref();
    }, opts.timeoutMs);
    child.stdout.on('data', (d) => {
        const text = d.toString('utf8');
        if (stdout.length < MAX_OUTPUT)
            stdout += text;
        opts.onOutput?.('stdout', text);
    });
    child.stderr.on('data', (d) => {
        const text = d.toString('utf8');
        if (stderr.length < MAX_OUTPUT)
            stderr += text;
        opts.onOutput?.('stderr', text);
    });
    child.on('error', (err) => finish({ exitCode: null, stdout, stderr, timedOut, spawnError: err.code ?? err.message }));
    child.on('close', (code) => finish({ exitCode: code, stdout, stderr, timedOut }));
    // After a timeout, do not wait for pipes a surviving grandchild may still hold.
    child.on('exit', (code) => {
        if (timedOut)
            finish({ exitCode: code, stdout, stderr, timedOut });
    });
});
function describe(cmd) {
    return [cmd.command, ...cmd.args].map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : JSON.stringify(a))).join(' ');
}
/**
 * The last `n` non-blank lines of a command's output as one line (` | ` between them). Progress
 * output (Compose v2's) is full of ANSI sequences and carriage returns: they are dropped, so the
 * excerpt cannot garble a log line or a workflow command.
 */
function lastLines(text, n) {
    // eslint-disable-next-line no-control-regex
    const plain = text.replace(/\x1b\[[0-9;?]*[ -/]*[@-~]/g, '');
    return plain
        .split(/\r\n|\r|\n/)
        // eslint-disable-next-line no-control-regex
        .map((l) => l.replace(/[\x00-\x1f\x7f-\x9f]/g, ' ').trim())
        .filter((l) => l !== '')
        .slice(-n)
        .map((l) => (l.length > 300 ? `${l.slice(0, 300)}…` : l))
        .join(' | ');
}
/** One line naming the command and what went wrong, with the end of what it said (also on a timeout). */
function failureText(cmd, r, timeoutMs, timeoutOption = 'docker-timeout') {
    const what = describe(cmd);
    if (r.spawnError)
        return `${what} could not start (${r.spawnError}${r.spawnError === 'ENOENT' ? `: is ${cmd.command} installed and on PATH?` : ''})`;
    const said = lastLines(r.stderr, 3) || lastLines(r.stdout, 1);
    if (r.timedOut)
        return `${what} timed out after ${Number((timeoutMs / 1000).toFixed(1))} s (raise ${timeoutOption})${said ? `; last output: ${said}` : ''}`;
    return `${what} exited ${r.exitCode}${said ? `: ${said}` : ''}`;
}
/**
 * Runs a long command that reads its job on stdin and answers on stdout (the privileged pass,
 * through sudo or `docker run -i`). No timeout: deleting a big tree takes as long as it takes; a
 * cancel sends SIGINT once to the child itself (sudo relays it to the command; `docker run` proxies
 * it into the container), which then stops at a safe point, verifies and reports.
 */
function runPassProcess(cmd, opts) {
    return new Promise((resolve) => {
        const out = [];
        let outBytes = 0;
        let stderr = '';
        let partial = '';
        // Its own process group: a terminal's Ctrl-C reaches the outer run only, which forwards it
        // once (a pass that got every keystroke twice would quit unverified at the second Ctrl-C).
        const child = (0,external_node_child_process_.spawn)(cmd.command, cmd.args, { env: opts.env ?? process.env, cwd: opts.cwd, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
        const interrupt = () => {
            child.kill('SIGINT');
        };
        if (opts.signal?.aborted)
            interrupt();
        opts.signal?.addEventListener('abort', interrupt, { once: true });
        // Kept as bytes and decoded once: a character split between two reads stays whole.
        child.stdout.on('data', (d) => {
            outBytes += d.length;
            if (outBytes <= MAX_ANSWER)
                out.push(d);
        });
        const stdout = () => (outBytes > MAX_ANSWER ? '' : Buffer.concat(out).toString('utf8'));
        child.stderr.on('data', (d) => {
            const text = d.toString('utf8');
            if (stderr.length < MAX_OUTPUT)
                stderr += text;
            const parts = (partial + text).split('\n');
            partial = parts.pop() ?? '';
            for (const l of parts)
                opts.onStderrLine?.(l);
        });
        // A child that exits before reading all of its stdin: EPIPE on our side, which is its exit's business.
        child.stdin.on('error', () => { });
        child.stdin.end(opts.input);
        let settled = false;
        const finish = (r) => {
            if (settled)
                return;
            settled = true;
            opts.signal?.removeEventListener('abort', interrupt);
            if (partial !== '')
                opts.onStderrLine?.(partial);
            resolve(r);
        };
        child.on('error', (err) => finish({ exitCode: null, signal: null, stdout: stdout(), stderr, spawnError: err.code ?? err.message }));
        child.on('close', (code, signal) => finish({ exitCode: code, signal, stdout: stdout(), stderr, overflow: outBytes > MAX_ANSWER }));
    });
}

;// CONCATENATED MODULE: ./src/docker/cli.ts
/**
 * Runs docker commands for a run: the run's environment with DOCKER_HOST when set, the root as
 * working directory, and a timeout the run cannot hang past. The runner kills a command at the
 * timeout, but a child it left behind (a compose plugin under `docker`) can hold the output pipes
 * open, so a deadline TIMEOUT_GRACE_MS later gives up on it and keeps what it had said.
 */


const TIMEOUT_GRACE_MS = 3000;
const ok = (r) => r.exitCode === 0 && !r.timedOut;
/** The environment docker runs with: `env`, with DOCKER_HOST when the run names one. */
function dockerEnv(env, dockerHost) {
    return dockerHost ? { ...env, DOCKER_HOST: dockerHost } : env;
}
class DockerCli {
    o;
    runner;
    trace;
    constructor(o, runner, trace = () => { }) {
        this.o = o;
        this.runner = runner;
        this.trace = trace;
    }
    async run(cmd) {
        this.trace(`$ ${describe(cmd)}`);
        const env = dockerEnv(this.o.env ?? process.env, this.o.dockerHost);
        // What the command said so far, for the error when the deadline gives up on it.
        const said = { stdout: '', stderr: '' };
        const onOutput = (stream, text) => {
            said[stream] = (said[stream] + text).slice(-64 * 1024);
        };
        let timer;
        const deadline = new Promise((resolve) => {
            timer = setTimeout(() => resolve({ exitCode: null, ...said, timedOut: true }), this.o.timeoutMs + TIMEOUT_GRACE_MS);
        });
        try {
            return await Promise.race([this.runner(cmd, { timeoutMs: this.o.timeoutMs, env, cwd: this.o.cwd, onOutput }), deadline]);
        }
        finally {
            clearTimeout(timer);
        }
    }
    /** Runs `cmd` and returns stdout, or throws an error naming the command and its stderr. */
    async must(cmd) {
        const r = await this.run(cmd);
        if (ok(r))
            return r.stdout;
        throw new Error(this.failure(cmd, r));
    }
    /**
     * The inspect documents of the containers `list` names (by id, one a line); none when it names
     * none. A container removed between the two makes inspect exit 1 with the others still printed.
     */
    async inspectListed(list) {
        const ids = lines(await this.must(list));
        if (ids.length === 0)
            return [];
        const r = await this.run(inspectContainers(ids));
        try {
            return JSON.parse(r.stdout);
        }
        catch {
            throw new Error(this.failure(inspectContainers(ids), r));
        }
    }
    /** What went wrong with `cmd`, naming it, its exit or timeout, and its last output. */
    failure(cmd, r) {
        return failureText(cmd, r, this.o.timeoutMs, this.o.timeoutOption);
    }
}
/**
 * The compose to run `down` with: v2 when its plugin answers, else v1; undefined when neither is
 * there (then containers are stopped by label). Warnings go to `warnings`; required mode throws.
 */
async function whichCompose(cli, mode, names, warnings) {
    const v2 = await cli.run(composeV2Version());
    if (ok(v2))
        return { command: ['docker', 'compose'], version: 'v2' };
    // A v2 plugin that hangs is installed but broken: `down` through it would hang too. Required
    // mode refuses (it promises the stack is stopped by the compose in use, not by a stand-in);
    // auto says so and stops the stack with v1, which still protects the files better than skipping.
    const hang = v2.timedOut ? `"docker compose" (v2) hangs: ${cli.failure(composeV2Version(), v2)}` : '';
    if (hang) {
        if (mode === 'required') {
            throw Object.assign(new Error(`docker is required but ${hang}: fix or remove the compose plugin (docker compose version must answer), raise ${names('docker-timeout')}, or set ${names('docker')} to auto to fall back to docker-compose (v1)`), { code: 'ERR_DOCKER_REQUIRED' });
        }
        warnings.push(`${hang}; using docker-compose (v1) instead if it is installed`);
    }
    const v1 = await cli.run(composeV1Version());
    if (ok(v1))
        return { command: ['docker-compose'], version: 'v1' };
    const none = hang ? `${hang}, and docker-compose (v1) is not installed` : 'neither "docker compose" (v2) nor "docker-compose" (v1) is installed';
    if (mode === 'required')
        throw Object.assign(new Error(`docker is required but ${none}: fix docker or set ${names('docker')} to auto or off`), { code: 'ERR_DOCKER_REQUIRED' });
    warnings.push(`${none}: containers are stopped and removed by their Compose labels instead`);
    return undefined;
}

;// CONCATENATED MODULE: ./src/docker/running.ts
/**
 * What is running from this root, read from `docker inspect` of every container: the Compose
 * projects started from it (their containers' working_dir label is the root, compared by device
 * and inode, or their project label is the name the files resolve to), with exactly the files and
 * project that started them; and every running container whose bind mounts reach into a target,
 * whoever started it. Pure: the caller runs docker and stats paths.
 */




const CONFIG_FILES_LABEL = 'com.docker.compose.project.config_files';
const WORKING_DIR_LABEL = 'com.docker.compose.project.working_dir';
function parseContainers(inspected) {
    return inspected.map((c) => {
        const labels = c.Config?.Labels ?? {};
        const workingDir = labels[WORKING_DIR_LABEL] || null;
        const files = (labels[CONFIG_FILES_LABEL] ?? '').split(',').map((f) => f.trim()).filter((f) => f !== '');
        const state = c.State?.Status ?? 'unknown';
        return {
            id: c.Id,
            name: c.Name.replace(/^\//, ''),
            state,
            running: RUNNING.has(state),
            startedAt: c.State?.StartedAt ?? '',
            health: c.State?.Health?.Status ?? null,
            exitCode: c.State?.ExitCode ?? 0,
            image: c.Config?.Image ?? '',
            project: labels[PROJECT_LABEL] || null,
            service: labels[SERVICE_LABEL] || null,
            workingDir,
            configFiles: files.map((f) => (external_node_path_default().isAbsolute(f) || workingDir === null ? f : external_node_path_default().join(workingDir, f))),
            binds: (c.Mounts ?? []).filter((m) => m.Type === 'bind' && m.Source).map((m) => ({ source: m.Source, destination: m.Destination ?? '' })),
            volumes: (c.Mounts ?? []).filter((m) => m.Type === 'volume' && m.Name).map((m) => m.Name)
        };
    });
}
/**
 * Whether a bind mount's host path reaches into `target` (an absolute, resolved path): it is the
 * target, inside it, or above it (the container then sees the target through the mount).
 */
function reachesInto(source, target) {
    const s = external_node_path_default().resolve(source);
    return s === target || s.startsWith(`${target}/`) || target.startsWith(s === '/' ? '/' : `${s}/`);
}
/**
 * A container's bind mounts that reach into a target. The source is compared as this host
 * resolves it (a link or another path to the same folder is the same folder).
 */
function bindsIntoTargets(c, probe) {
    return c.binds.flatMap((b) => {
        const source = probe.resolve(b.source);
        return probe.targets.filter((t) => reachesInto(source, t)).map((t) => ({ ...b, target: t }));
    });
}
/** Groups the containers into the stacks this environment runs and the other writers into its targets. */
function findEnvironment(containers, probe) {
    const stacks = new Map();
    const isRoot = (dir) => {
        if (dir === null)
            return false;
        const n = probe.nodeOf(dir);
        return n !== null && n.dev === probe.root.dev && n.ino === probe.root.ino;
    };
    const add = (project, foundBy) => {
        if (stacks.has(project))
            return;
        const mine = containers.filter((c) => c.project === project);
        // Every container of one `up` carries the same files and working_dir labels.
        const labelled = mine.find((c) => c.configFiles.length > 0 && c.workingDir !== null);
        let files;
        let projectDir = null;
        if (!labelled)
            files = project === probe.project ? probe.files : [];
        else if (isRoot(labelled.workingDir)) {
            // Started from the root (under whatever path): its files relative to it, as Compose resolved them.
            const dir = labelled.workingDir;
            files = labelled.configFiles.map((f) => (f.startsWith(`${dir}/`) ? f.slice(dir.length + 1) : f));
        }
        else {
            files = labelled.configFiles;
            projectDir = labelled.workingDir;
        }
        const base = projectDir ?? probe.root.path;
        const why = files.length === 0 ? 'its containers do not name their compose files' : (files.map((f) => probe.unusable(external_node_path_default().resolve(base, f))).find((w) => w !== null) ?? null);
        stacks.set(project, { project, files, projectDir, foundBy, containers: mine, filesUnusable: why });
    };
    for (const c of containers) {
        if (c.project === null)
            continue;
        if (isRoot(c.workingDir))
            add(c.project, 'running containers');
        // By name only when its working_dir says nothing here (no label, or a path this host does not
        // have, as with a remote daemon): folders named alike elsewhere (/srv/prod/app, /srv/staging/app)
        // give their projects the same name, and another environment's stack is not ours to stop.
        else if (probe.project !== '' && c.project === probe.project && (c.workingDir === null || probe.nodeOf(c.workingDir) === null))
            add(c.project, 'running containers');
    }
    const writers = [];
    for (const c of containers) {
        if (!c.running)
            continue;
        const binds = bindsIntoTargets(c, probe);
        if (binds.length === 0)
            continue;
        if (c.project !== null)
            add(c.project, 'bind mounts into targets');
        else
            writers.push({ name: c.name, image: c.image, binds });
    }
    return { stacks: [...stacks.values()], writers };
}
/** The device and inode of a host path, or null. */
function hostNodeOf(p) {
    try {
        const st = external_node_fs_default().statSync(p);
        return { dev: st.dev, ino: st.ino };
    }
    catch {
        return null;
    }
}
/** Why a compose file cannot be read for `down`, or null. */
function composeFileProblem(file) {
    try {
        external_node_fs_default().accessSync(file, (external_node_fs_default()).constants.R_OK);
        return external_node_fs_default().statSync(file).isFile() ? null : `${file} is not a file`;
    }
    catch (err) {
        const code = err.code;
        return code === 'ENOENT' ? `its compose file ${file} is gone` : `its compose file ${file} cannot be read (${code})`;
    }
}
/** A host path with its links resolved, or itself when it does not exist here. */
function hostRealPath(p) {
    try {
        return external_node_fs_default().realpathSync(p);
    }
    catch {
        return p;
    }
}

;// CONCATENATED MODULE: ./src/docker/services.ts
/**
 * Resetting some services of a stack without restarting the rest (the seed's scenario 2): which
 * stack runs them, what each service's containers were before and after, and starting them again
 * (`up -d --no-deps`), waiting until they run, and healthy when they have a healthcheck.
 */



function rowsOf(containers) {
    return containers
        .map((c) => ({ service: c.service ?? '', name: c.name, id: c.id.slice(0, 12), state: c.state, startedAt: c.startedAt, health: c.health }))
        .sort((a, b) => a.service.localeCompare(b.service) || a.name.localeCompare(b.name));
}
/**
 * The one stack that has all of `names` (as running containers' services or in its files), else a
 * coded error listing the services that exist. `known` gives a stack's services.
 */
function chooseStack(stacks, names, known, option) {
    const all = stacks.map((s) => ({ s, services: new Set([...known(s), ...s.containers.map((c) => c.service ?? '').filter(Boolean)]) }));
    const match = all.find(({ services }) => names.every((n) => services.has(n)));
    if (match)
        return match.s;
    const exist = all.map(({ s, services }) => `${s.project}: ${[...services].sort().join(', ') || 'none'}`).join('; ');
    const unknown = names.filter((n) => !all.some(({ services }) => services.has(n)));
    throw (0,errors/* fail */.fJ)('ERR_UNKNOWN_SERVICE', `${option} ${unknown.length > 0 ? `names a service that does not exist (${unknown.join(', ')})` : 'names services of different stacks'}; the services are ${exist || 'none (no stack found)'}: fix ${option}`);
}
const POLL_MS = 500;
/**
 * Starts the services again and waits, within `timeoutMs`, until each has a running container
 * (healthy, with a healthcheck). Returns one error per service that did not come back, with its
 * state and last log lines.
 */
async function restartServices(cli, call, st, timeoutMs) {
    await cli.must(composeUpServices(call, st.names));
    const deadline = Date.now() + timeoutMs;
    const pending = new Set(st.names);
    const errors = [];
    for (;;) {
        for (const service of [...pending]) {
            const c = await serviceContainer(cli, st.project, service);
            const up = c !== null && c.running && (c.health === null || c.health === 'healthy');
            const failed = c !== null && (!c.running || c.health === 'unhealthy') && c.state !== 'restarting';
            if (up) {
                pending.delete(service);
                st.restarted.push(service);
            }
            else if (failed || Date.now() > deadline) {
                pending.delete(service);
                errors.push(await notBack(cli, service, c, Date.now() > deadline ? `did not become ${c?.health ? 'healthy' : 'running'} within ${timeoutMs / 1000} s` : ''));
            }
        }
        if (pending.size === 0)
            break;
        await new Promise((r) => setTimeout(r, POLL_MS));
    }
    return errors;
}
async function serviceContainer(cli, project, service) {
    return parseContainers(await cli.inspectListed(listServiceContainers(project, service)))[0] ?? null;
}
async function notBack(cli, service, c, why) {
    if (c === null)
        return `service ${service} did not come back: no container was created`;
    const state = !c.running ? `${c.state}, exit code ${c.exitCode}` : c.health === 'unhealthy' ? 'unhealthy' : c.state;
    const r = await cli.run(containerLogs(c.id, 10));
    const said = `${r.stdout}\n${r.stderr}`.split('\n').map((l) => l.trim()).filter(Boolean).slice(-10).join(' | ');
    return `service ${service} did not come back (${why || state}; container ${c.name}, ${state})${said ? `; last log lines: ${said}` : ''}`;
}
/** Every container of the project now, for the before/after table. */
async function containersNow(cli, project) {
    return rowsOf(parseContainers(await cli.inspectListed(listProjectContainers(project))));
}

;// CONCATENATED MODULE: ./src/docker/compose.ts









class Compose {
    t;
    cli;
    constructor(t, runner, trace = () => { }) {
        this.t = t;
        this.cli = new DockerCli({ cwd: t.root, env: t.env, dockerHost: t.dockerHost, timeoutMs: t.timeoutMs, timeoutOption: this.name('docker-timeout') }, runner, trace);
    }
    name(key) {
        return (this.t.names ?? options/* ACTION_NAMES */.G)(key);
    }
    run(cmd) {
        return this.cli.run(cmd);
    }
    must(cmd) {
        return this.cli.must(cmd);
    }
    /**
     * Read-only: is docker usable, which stacks run from this root (or reach into its targets), what
     * else writes into the targets, which volumes `full` would remove and which stay. Throws a coded
     * error (nothing has changed yet) when the run must not go on.
     */
    async discover(input) {
        const s = {
            mode: this.t.mode, active: false, stacks: [], writers: [], files: [...this.t.files], project: this.t.project,
            containers: [], exited: [], volumes: [], stopped: false, removedVolumes: [], errors: [], warnings: []
        };
        if (this.t.mode === 'off')
            return { ...s, skipped: 'docker: off' };
        const required = (why, fix = `fix docker or set ${this.name('docker')} to auto or off`) => {
            throw Object.assign(new Error(`docker is required but ${why}: ${fix}`), { code: 'ERR_DOCKER_REQUIRED' });
        };
        const server = await this.run(dockerServerVersion());
        if (!ok(server)) {
            const why = `the docker daemon cannot be reached (${this.cli.failure(dockerServerVersion(), server)})`;
            if (this.t.mode === 'required')
                required(why);
            // A stack that may be running cannot be checked: purging under it could race its writes.
            if (this.t.files.length > 0) {
                throw Object.assign(new Error(`refusing to purge: ${why}, and root has a compose file (${this.t.files.join(', ')}) whose stack may be running: give this user docker access (the docker group, ${this.name('docker-host')}), or set ${this.name('docker')} to off to purge without stopping anything`), { code: 'ERR_DOCKER_UNCHECKED' });
            }
            return { ...s, skipped: why };
        }
        const probe = {
            root: input.root, project: this.t.project, files: [...this.t.files],
            targets: input.targets.map((t) => external_node_path_default().join(input.root.path, t)), nodeOf: hostNodeOf, unusable: composeFileProblem, resolve: hostRealPath
        };
        const env = findEnvironment(parseContainers(await this.cli.inspectListed(listAllContainers())), probe);
        s.writers = env.writers;
        if (env.writers.length > 0 && !input.keepRunning) {
            const w = env.writers[0];
            const more = env.writers.length > 1 ? ` (and ${env.writers.length - 1} more: ${env.writers.slice(1).map((x) => x.name).join(', ')})` : '';
            throw Object.assign(new Error(`refusing to purge: container ${w.name} (${w.image}, not started by Compose) writes into ${external_node_path_default().relative(input.root.path, w.binds[0].target) || '.'} through its bind mount ${w.binds[0].source}${more}: stop it first, or set ${this.name('keep-running')} to purge while it runs`), { code: 'ERR_CONTAINER_WRITING' });
        }
        const stacks = env.stacks;
        if (stacks.length === 0 && this.t.files.length > 0) {
            // Nothing runs: `down` with the root's own files still removes what `up` left (networks).
            stacks.push({ project: this.t.project, files: [...this.t.files], projectDir: null, foundBy: 'files', containers: [], filesUnusable: null });
        }
        const services = input.services.length > 0 ? chooseStack(stacks, input.services, (st) => this.declared(st), this.name('services')) : null;
        if (services) {
            // Only the named services stop: anything else that writes into a target would go on writing
            // under the purge (another service of the stack, another stack found by its bind mounts).
            const staying = stacks.flatMap((st) => st.containers).filter((c) => c.running && !(c.project === services.project && c.service !== null && input.services.includes(c.service)));
            for (const c of staying) {
                const [b] = bindsIntoTargets(c, probe);
                if (!b)
                    continue;
                throw Object.assign(new Error(`refusing to purge: container ${c.name} (project ${c.project}, service ${c.service}) keeps running and writes into ${external_node_path_default().relative(input.root.path, b.target) || '.'} through its bind mount ${b.source}: add its service to ${this.name('services')}, or leave that path out of ${this.name('ephemeral')}`), { code: 'ERR_CONTAINER_WRITING' });
            }
            stacks.splice(0, stacks.length, services);
        }
        if (stacks.length === 0) {
            const why = `no compose file was found in root (compose.yaml, docker-compose.yml, ...; or set ${this.name('compose-file')}) and no container runs from it or writes into its targets`;
            if (this.t.mode === 'required')
                required(why);
            return { ...s, skipped: why };
        }
        s.compose = await whichCompose(this.cli, this.t.mode, this.t.names ?? options/* ACTION_NAMES */.G, s.warnings);
        s.stacks = stacks.map((st) => this.stackState(st, s.compose));
        s.project = s.stacks[0].project;
        s.files = s.stacks[0].files;
        s.containers = s.stacks.flatMap((st) => st.containers);
        s.exited = s.stacks.flatMap((st) => st.exited);
        s.active = true;
        s.volumes = (await Promise.all(s.stacks.map((st) => this.volumes(st.project)))).flat();
        if (services)
            this.onlyServices(s, services, input.services);
        return s;
    }
    /** The services a stack's files declare (none when they cannot be read). */
    declared(st) {
        return st.filesUnusable === null ? declaredServices(st.projectDir ?? this.t.root, st.files, this.t.names) : [];
    }
    /** Narrows the run to some services of the stack: what is stopped, which volumes `full` may remove. */
    onlyServices(s, st, names) {
        const stack = s.stacks[0];
        if (stack.stoppedBy !== 'compose down') {
            throw (0,errors/* fail */.fJ)('ERR_SERVICES', `${this.name('services')} cannot be reset in project ${stack.project}: ${stack.filesUnusable}, so they could not be started again; fix that, or drop ${this.name('services')} to stop the whole stack`);
        }
        const mine = st.containers.filter((c) => c.service !== null && names.includes(c.service));
        stack.containers = mine.filter((c) => c.running).map((c) => c.name);
        stack.exited = mine.filter((c) => !c.running).map((c) => c.name);
        s.containers = stack.containers;
        s.exited = stack.exited;
        const mounted = new Set(mine.flatMap((c) => c.volumes));
        s.volumes = s.volumes.map((v) => (v.action === 'remove' && !mounted.has(v.name) ? { ...v, action: 'keep', reason: `not mounted by ${names.join(', ')}` } : v));
        if (this.t.full && !s.volumes.some((v) => v.action === 'remove')) {
            throw (0,errors/* fail */.fJ)('ERR_CONFLICT', `${this.name('full')} and ${this.name('services')} contradict each other: ${names.join(', ')} mount no volume that full could remove; drop one of them`);
        }
        s.services = { project: stack.project, names: [...names], before: rowsOf(st.containers), after: [], restarted: [] };
    }
    /** Starts the reset services again and waits for them; each that does not come back is an error of the run. */
    async restart(s) {
        if (!s.services || !s.compose || !s.stopped)
            return;
        const stack = s.stacks[0];
        const call = { base: s.compose.command, files: stack.files, project: stack.project, projectDir: stack.projectDir ?? undefined };
        try {
            s.errors.push(...(await restartServices(this.cli, call, s.services, this.t.timeoutMs)));
        }
        catch (err) {
            s.errors.push(`${s.services.names.join(', ')} could not be started again: ${(0,errors/* errorMessage */.gJ)(err)}`);
        }
        s.services.after = await containersNow(this.cli, stack.project).catch(() => []);
    }
    stackState(st, compose) {
        const filesUnusable = st.filesUnusable ?? (compose ? null : 'no docker compose is installed');
        return {
            project: st.project, files: st.files, workingDir: st.projectDir ?? this.t.root, projectDir: st.projectDir, foundBy: st.foundBy,
            stoppedBy: filesUnusable === null ? 'compose down' : 'docker stop and rm', filesUnusable,
            containers: st.containers.filter((c) => c.running).map((c) => c.name),
            exited: st.containers.filter((c) => !c.running).map((c) => c.name),
            ids: st.containers.map((c) => c.id), stopped: false
        };
    }
    /** A project's labelled volumes, plus existing volumes named like one the root's files declare (kept, with the reason). */
    async volumes(project) {
        const labelled = lines(await this.must(listVolumes(project)));
        // The files' declarations name this root's project: another stack's look-alikes are not ours to judge.
        const declared = project === this.t.project ? declaredNames(this.t) : new Map();
        let lookAlikes = [];
        if (declared.size > 0) {
            const all = new Set(lines(await this.must(listAllVolumes())));
            lookAlikes = [...declared.keys()].filter((n) => all.has(n) && !labelled.includes(n));
        }
        const names = [...labelled, ...lookAlikes];
        if (names.length === 0)
            return [];
        const inspected = JSON.parse(await this.must(inspectVolumes(names)));
        return decideVolumes(inspected, { ...this.t, project }, declared);
    }
    /**
     * Stops every stack: `down` with the files and project that started it, or, when those files
     * cannot be used, `docker stop` and `docker rm` of its containers. Throws (the caller deletes
     * nothing then) when one fails.
     */
    async stop(s) {
        if (!s.active)
            return;
        for (const st of s.stacks) {
            if (st.stoppedBy === 'compose down' && s.compose && s.services) {
                await this.must(composeRmServices({ base: s.compose.command, files: st.files, project: st.project, projectDir: st.projectDir ?? undefined }, s.services.names));
            }
            else if (st.stoppedBy === 'compose down' && s.compose) {
                await this.must(composeDown(s.compose.command, st.files, st.project, st.projectDir ?? undefined));
            }
            else if (st.ids.length > 0) {
                if (st.containers.length > 0)
                    await this.must(stopContainers(st.ids));
                await this.must(removeContainers(st.ids));
            }
            st.stopped = true;
        }
        s.stopped = true;
    }
    /** Removes the volumes decided `remove`; each failure (e.g. in use) is an error, not a warning. */
    async removeVolumes(s) {
        for (const v of s.volumes.filter((x) => x.action === 'remove')) {
            try {
                await this.must(removeVolume(v.name));
                s.removedVolumes.push(v.name);
            }
            catch (err) {
                s.errors.push(err.message);
            }
        }
    }
    /** After the purge: no container of a stopped stack remains, every volume reported removed is gone. */
    async verify(s) {
        if (!s.active || !s.stopped)
            return;
        const problems = [];
        try {
            for (const st of s.stacks) {
                if (s.services) {
                    for (const service of s.services.names) {
                        const left = lines(await this.must(listServiceContainers(st.project, service)));
                        if (left.length > 0)
                            problems.push(`containers of service ${service} of project ${st.project} still exist: ${left.map((id) => id.slice(0, 12)).join(', ')}`);
                    }
                    continue;
                }
                const left = lines(await this.must(listContainers(st.project))).map((l) => l.split('\t')[0]);
                if (left.length > 0)
                    problems.push(`containers of project ${st.project} still exist: ${left.join(', ')}`);
            }
            if (s.removedVolumes.length > 0) {
                const still = new Set(lines(await this.must(listAllVolumes())));
                for (const v of s.removedVolumes)
                    if (still.has(v))
                        problems.push(`volume ${v} still exists`);
            }
        }
        catch (err) {
            problems.push(err.message);
        }
        s.verification = { ok: problems.length === 0, problems };
    }
}

;// CONCATENATED MODULE: ./src/docker/project.ts
/**
 * Which Compose project this root is: its files, its name and the volumes its files declare,
 * found by Compose's own rules (compose-files.ts), and the Compose that discovers, stops and
 * checks it. The one place that decides it: the engine asks here and nowhere else.
 */





/** Reads the files (no docker is run here); throws a coded error naming the option on bad input. */
async function composeProject(root, req, deps) {
    const names = deps.names ?? options/* ACTION_NAMES */.G;
    // With docker off and no file named, no compose file is read: a broken one must not block a purge.
    const files = req.mode === 'off' && req.files.length === 0 ? [] : findComposeFiles(root, req.files, names);
    if (files.length > 0)
        await (0,yaml/* loadYaml */.y)();
    const name = files.length > 0 || req.name ? projectName(root, files, req.name, deps.env, names) : '';
    const declared = externalVolumes(root, files, names);
    const compose = new Compose({
        root, mode: req.mode, full: req.full, files, project: name, protectedVolumes: req.protectedVolumes, external: declared,
        dockerHost: req.dockerHost, timeoutMs: req.timeoutSeconds * 1000, env: deps.env, names
    }, deps.runner ?? runCommand, deps.trace);
    return { files, name, declared, compose };
}

// EXTERNAL MODULE: ./src/fs/space.ts
var space = __webpack_require__(4001);
// EXTERNAL MODULE: ./src/engine/report.ts
var engine_report = __webpack_require__(594);
// EXTERNAL MODULE: ./src/common/text.ts
var common_text = __webpack_require__(2450);
;// CONCATENATED MODULE: ./src/engine/report-lines.ts
/**
 * The report as a person reads it on a console: the plan (what goes, what stays), the stacks,
 * the result and the verification, one line each, user-controlled text escaped.
 */


function countLine(t) {
    const parts = [`${t.files} file(s)`, (0,common_text/* formatBytes */.z3)(t.bytes)];
    if (t.dirs)
        parts.push(`${t.dirs} dir(s)`);
    if (t.others)
        parts.push(`${t.others} link(s)/special`);
    return parts.join(', ');
}
/**
 * The listing (--list): for each target, every entry directly inside it that goes (a directory
 * with what it holds), then what stays inside it; bounded, with counts for the rest.
 */
function listingLines(targets, dryRun) {
    const listed = targets.filter((t) => t.listing);
    if (listed.length === 0)
        return [];
    const goes = dryRun ? 'would go' : 'goes';
    const out = [`listing (- ${goes}; ~ ${dryRun ? 'would be ' : 'is '}emptied, it stays for what stays inside; = stays):`];
    for (const t of listed) {
        const { entries, more, itselfGoes } = t.listing;
        out.push(`  ${(0,common_text/* showPath */.P8)(t.path)}:${entries.length + more.entries === 0 && !itselfGoes ? ` nothing inside it ${goes}` : ''}`);
        // A directory target removed once emptied (remove-target-dirs) goes too.
        if (itselfGoes)
            out.push(`    - ${(0,common_text/* showPath */.P8)(t.path)}/ (the directory itself, once emptied)`);
        for (const e of entries) {
            const size = e.kind === 'dir' ? `${e.files} file(s), ${(0,common_text/* formatBytes */.z3)(e.bytes)}, ${e.inside} entr${e.inside === 1 ? 'y' : 'ies'} inside` : e.kind === 'file' ? (0,common_text/* formatBytes */.z3)(e.bytes) : e.kind;
            out.push(`    ${e.keeps ? '~' : '-'} ${(0,common_text/* showPath */.P8)(e.path)}${e.kind === 'dir' ? '/' : ''} (${size})`);
        }
        if (more.entries > 0)
            out.push(`    - ... and ${more.entries} more entr${more.entries === 1 ? 'y' : 'ies'}: ${more.files} file(s), ${(0,common_text/* formatBytes */.z3)(more.bytes)} (the JSON report names the first ${entries.length})`);
        for (const k of t.kept)
            out.push(`    = ${(0,common_text/* showPath */.P8)(k.path)} (${k.reason === 'protected' ? 'protected' : 'a mount point, never crossed'})`);
        if (t.keptTotal > t.kept.length)
            out.push(`    = ... and ${t.keptTotal - t.kept.length} more kept`);
        for (const h of t.truncated)
            out.push(`    = ${(0,common_text/* showPath */.P8)(h.path)} (held open by a running process: truncated in place, ${(0,common_text/* formatBytes */.z3)(h.bytes)})`);
        if (t.truncatedFiles > t.truncated.length)
            out.push(`    = ... and ${t.truncatedFiles - t.truncated.length} more held-open file(s) truncated in place`);
    }
    return out;
}
/** The plan as a person reads it: what goes, what stays. Also the dry run's main output. */
function planLines(targets) {
    const out = [];
    for (const t of targets) {
        const why = t.reason ? ` (${t.reason})` : '';
        if (t.result === 'missing' || t.result === 'refused' || t.counted === false) {
            out.push(`${t.result.padEnd(16)} ${(0,common_text/* showPath */.P8)(t.path)}${why}`);
            continue;
        }
        out.push(`${t.result.padEnd(16)} ${(0,common_text/* showPath */.P8)(t.path)}: ${countLine(t)}${t.keptTotal ? `, keeps ${t.keptTotal} protected/mount entr${t.keptTotal === 1 ? 'y' : 'ies'} and the ${t.keptDirs} dir(s) leading to them` : ''}${why}`);
        for (const k of t.kept.slice(0, 20))
            out.push(`  keep ${(0,common_text/* showPath */.P8)(k.path)} (${k.reason})`);
        if (t.kept.length > 20 || t.keptTotal > t.kept.length)
            out.push(`  ... and ${t.keptTotal - Math.min(t.kept.length, 20)} more kept`);
    }
    return out;
}
/** One stack as a person reads it: which project, from which files, found how, and what happens to it. */
function stackLine(s, dryRun, stopped, keptRunning, compose) {
    const list = (n) => (n.length ? n.join(', ') : 'none');
    const stop = keptRunning ? 'left running (keep-running)' : dryRun ? 'would be stopped' : stopped ? 'stopped' : 'not stopped';
    const gone = keptRunning ? 'left' : dryRun ? 'would be removed' : stopped ? 'removed' : 'not removed';
    const how = s.stoppedBy === 'compose down' ? `${compose ?? 'compose'} down` : `docker stop and rm by label (${s.filesUnusable})`;
    const files = s.files.length ? s.files.map(common_text/* showPath */.P8).join(', ') : 'no files';
    return `docker: project ${(0,common_text/* showPath */.P8)(s.project)} (${files}; found by ${s.foundBy}; ${how}): running containers ${list(s.containers)} ${stop}${s.exited.length ? `; other containers ${list(s.exited)} ${gone}` : ''}`;
}
/** The privileged pass: what it removed, how, and why; or (a dry run) which mode would; or why none could. */
function privilegedLines(r) {
    const p = r.privileged;
    if (!p)
        return [];
    const out = [];
    const how = p.via === 'sudo' ? 'sudo' : `a container (${(0,common_text/* showPath */.P8)(p.image ?? '')})`;
    if (p.ran)
        out.push(`privileged pass (${how}, as root) on ${p.targets.map(common_text/* showPath */.P8).join(', ')}: removed ${p.removedFiles} file(s), ${(0,common_text/* formatBytes */.z3)(p.removedBytes)}, in the targets this user could not finish`);
    else if (r.dryRun && p.via)
        out.push(`${p.entriesTotal} entr(ies) cannot be deleted as this user: a real run would finish them as root through ${how}`);
    else if (r.dryRun)
        out.push(`${p.entriesTotal} entr(ies) cannot be deleted as this user, and no privileged pass is available to finish them`);
    else
        out.push(`${p.entriesTotal} entr(ies) could not be deleted as this user, and no privileged pass finished them`);
    for (const e of p.entries.slice(0, 10))
        out.push(`  ${(0,common_text/* showPath */.P8)(e.path)}: owner ${e.owner ?? '?'}${e.ownerName ? ` (${(0,common_text/* showPath */.P8)(e.ownerName)})` : ''}: ${(0,common_text/* oneLine */.TN)(e.why)}`);
    if (p.entriesTotal > Math.min(p.entries.length, 10))
        out.push(`  ... and ${p.entriesTotal - Math.min(p.entries.length, 10)} more (see the JSON report)`);
    for (const n of p.notes)
        out.push(`  ${(0,common_text/* oneLine */.TN)(n)}`);
    return out;
}
/** Strategy move and the trash: what moved whole, what was purged in place and why, leftovers. */
function trashLines(r) {
    const t = r.trash;
    if (t === null)
        return [];
    const out = [];
    if (t.moved.length > 0) {
        const then = r.dryRun ? 'would move' : 'moved';
        const when = r.dryRun ? '' : t.pending ? `; its deletion comes later (trash ${t.run})` : t.purge === null ? `; the next run deletes the trash (${t.run}) first` : '';
        out.push(`${then} into the trash in one rename each: ${t.moved.map(common_text/* showPath */.P8).join(', ')}${when}`);
    }
    for (const p of t.inPlace)
        out.push(`purged in place, not moved: ${(0,common_text/* showPath */.P8)(p.path)}: ${(0,common_text/* oneLine */.TN)(p.why)}`);
    if (t.purge !== null)
        out.push(`trash deleted: ${countLine(t.purge.totals)} in ${(t.purge.durationMs / 1000).toFixed(1)} s${t.purge.ok ? '' : ` (failed: ${(0,common_text/* oneLine */.TN)(t.purge.failures[0] ?? '')})`}`);
    if (r.dryRun && t.leftoverRuns.length > 0)
        out.push(`${t.leftoverRuns.length} trash(es) left by earlier runs: a real run deletes them first`);
    for (const l of t.leftovers)
        out.push(`trash ${l.run} left by an earlier run: deleted ${countLine(l.totals)}${l.ok ? '' : ` (failed: ${(0,common_text/* oneLine */.TN)(l.failures[0] ?? '')})`}`);
    return out;
}
function resultLines(r) {
    const out = [];
    const verb = r.dryRun ? 'would remove' : 'removed';
    out.push(`${verb} ${countLine(r.totals)} from ${r.deleted.length} target(s)`);
    const t = r.totals;
    if (t.truncatedFiles > 0) {
        out.push(`${r.dryRun ? 'would truncate' : 'truncated'} ${t.truncatedFiles} file(s) held open by running processes, ${(0,common_text/* formatBytes */.z3)(t.truncatedBytes)}: they stay, empty, and their writers go on`);
        for (const e of r.targets.flatMap((x) => x.truncated).slice(0, 20))
            out.push(`  truncated ${(0,common_text/* showPath */.P8)(e.path)} (${(0,common_text/* formatBytes */.z3)(e.bytes)}; held by ${e.holders.map((h) => `${h.pid} ${(0,common_text/* showPath */.P8)(h.command)}`).join(', ') || 'a running process'})`);
    }
    if (t.heldUnlinkedFiles > 0)
        out.push(`${t.heldUnlinkedFiles} held-open file(s) ${r.dryRun ? 'would be' : 'were'} unlinked, not truncated (hard links, or mapped into memory), ${(0,common_text/* formatBytes */.z3)(t.heldUnlinkedBytes)}: their space comes back only when their processes close them`);
    if (r.dryRun)
        out.push(...listingLines(r.targets, true));
    out.push(...privilegedLines(r));
    out.push(...trashLines(r));
    if (r.space.reclaimedBytes !== null)
        out.push(`freed ${(0,common_text/* formatBytes */.z3)(r.space.freedBytes)}; the filesystem gained ${(0,common_text/* formatBytes */.z3)(Math.max(0, r.space.reclaimedBytes))}`);
    if (r.docker.used) {
        const d = r.docker;
        for (const s of d.stacks)
            out.push(stackLine(s, r.dryRun, d.stopped, d.keptRunning, d.compose));
        if (d.services) {
            const back = r.dryRun ? 'would be started again' : `started again: ${d.services.restarted.join(', ') || 'none'}`;
            out.push(`docker: services reset: ${d.services.names.join(', ')} (${back}); the others keep running`);
            for (const row of d.services.after)
                out.push(`  ${row.service} ${row.name} ${row.id} ${row.state}${row.health ? ` (${row.health})` : ''} since ${row.startedAt}`);
        }
        for (const w of d.writers)
            out.push(`docker: container ${(0,common_text/* showPath */.P8)(w.name)} (not Compose) writes into ${w.binds.map((b) => (0,common_text/* showPath */.P8)(external_node_path_default().relative(r.root, b.target) || '.')).join(', ')}: left running (keep-running)`);
        for (const v of r.docker.volumes)
            out.push(`  volume ${v.name}: ${v.action === 'remove' ? (r.dryRun ? 'would be removed' : r.docker.removedVolumes.includes(v.name) ? 'removed' : 'NOT removed') : `kept (${v.reason})`}`);
    }
    for (const e of r.errors)
        out.push(`error: ${(0,common_text/* showPath */.P8)(e.path)}: ${(0,common_text/* showPath */.P8)(e.message)}\n  recovery: ${(0,common_text/* oneLine */.TN)(e.hint)}`);
    const v = r.verification;
    const cancelled = r.targets.filter((t) => t.result === 'cancelled').length;
    const clean = cancelled > 0 ? `; the purge was cancelled: ${cancelled} target(s) it did not finish still hold files` : ', every target clean';
    const entries = `${v.checked} protected entr${v.checked === 1 ? 'y' : 'ies'}`;
    out.push(r.dryRun
        ? v.ok
            ? `dry run, nothing verified: ${entries} fingerprinted, none changed while it ran; a real run verifies them after its purge`
            : `dry run: ${v.missing.length} protected path(s) vanished and ${v.changed.length} changed while it ran (something else is writing there)`
        : v.ok
            ? `verified: ${entries} unchanged${clean}`
            : `NOT verified: ${v.missing.length} missing, ${v.changed.length} changed, ${v.leftovers.length} target(s) not clean`);
    for (const m of v.missing.slice(0, 50))
        out.push(`  missing: ${(0,common_text/* showPath */.P8)(m)}`);
    for (const c of v.changed.slice(0, 50))
        out.push(`  changed: ${(0,common_text/* showPath */.P8)(c.path)} (${c.what})`);
    for (const l of v.leftovers.slice(0, 50))
        out.push(l.remaining === 0 ? `  still there: ${(0,common_text/* showPath */.P8)(l.path)}` : `  left in ${(0,common_text/* showPath */.P8)(l.path)}: ${l.remaining} entr${l.remaining === 1 ? 'y' : 'ies'}`);
    return out;
}

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
var external_node_crypto_default = /*#__PURE__*/__webpack_require__.n(external_node_crypto_);
// EXTERNAL MODULE: ./src/engine/held-file.ts
var held_file = __webpack_require__(2182);
;// CONCATENATED MODULE: ./src/engine/lock.ts
/**
 * One purge per root at a time: a lock file in the root, reached through the root's open
 * directory. It is created complete and atomically (written to a private file, then hard-linked
 * to the lock name, which fails if the lock exists), so nobody ever reads a half-written lock.
 * A lock whose process is gone (same host) is stale: it is unlinked only if it is still the very
 * file that was read (same inode), and the lock is then taken by link again, so of two takers at
 * most one gets it, unless both pass the inode check in the same instant (see SECURITY.md).
 */









const LOCK = Buffer.from(engine_policy/* LOCK_FILE */.FI);
function alive(pid) {
    try {
        process.kill(pid, 0);
        return true;
    }
    catch (err) {
        return err.code === 'EPERM';
    }
}
function readHolder(root) {
    const held = (0,held_file/* readHeld */.iJ)(root, engine_policy/* LOCK_FILE */.FI);
    if (typeof held === 'string')
        return held;
    try {
        const h = JSON.parse(held.text);
        return typeof h.pid === 'number' && typeof h.token === 'string' ? { ...h, ino: held.ino } : 'unreadable';
    }
    catch {
        return 'unreadable';
    }
}
/** Takes the lock or throws ERR_LOCKED. Returns the release function; `warn` hears of stale locks. */
function acquireLock(root, rootPath, warn) {
    const me = { pid: process.pid, host: external_node_os_default().hostname(), startedAt: new Date().toISOString(), token: external_node_crypto_default().randomUUID() };
    const shown = `${(0,common_text/* showPath */.P8)(rootPath)}/${engine_policy/* LOCK_FILE */.FI}`;
    const mine = Buffer.from(`${engine_policy/* LOCK_FILE */.FI}.${me.token}`);
    const release = () => {
        const h = readHolder(root);
        if (typeof h === 'object' && h.token === me.token) {
            try {
                (0,fs_anchor/* unlinkAt */.H_)(root, LOCK);
            }
            catch {
                // already gone: nothing to release
            }
        }
    };
    try {
        external_node_fs_default().writeFileSync(root.child(mine), JSON.stringify(me), { flag: 'wx', mode: 0o644 });
    }
    catch (err) {
        warn(`could not take the lock ${shown} (${err.code}); going on without it`);
        return () => { };
    }
    try {
        const link = () => {
            try {
                external_node_fs_default().linkSync(root.child(mine), root.child(LOCK));
                return true;
            }
            catch (err) {
                if (err.code !== 'EEXIST')
                    throw err;
                return false;
            }
        };
        if (link())
            return release;
        const holder = readHolder(root);
        if (holder === 'unreadable') {
            throw (0,errors/* fail */.fJ)('ERR_LOCKED', `the lock ${shown} exists but cannot be read: if no other safe-purge is running, delete it and rerun`);
        }
        if (holder !== 'missing' && (holder.host !== me.host || alive(holder.pid))) {
            throw (0,errors/* fail */.fJ)('ERR_LOCKED', `another safe-purge (pid ${(0,common_text/* oneLine */.TN)(String(holder.pid))} on ${(0,common_text/* oneLine */.TN)(String(holder.host))}, since ${(0,common_text/* oneLine */.TN)(String(holder.startedAt))}) is purging ${(0,common_text/* showPath */.P8)(rootPath)}: wait for it, or delete ${shown} if that process is gone`);
        }
        if (holder !== 'missing') {
            warn(`removing a stale lock ${shown} (pid ${holder.pid} is gone)`);
            if (holder.ino !== undefined)
                (0,held_file/* unlinkIfSame */.Lc)(root, engine_policy/* LOCK_FILE */.FI, holder.ino);
        }
        if (link())
            return release;
        throw (0,errors/* fail */.fJ)('ERR_LOCKED', `another safe-purge took the lock ${shown} at the same moment: wait for it and rerun`);
    }
    finally {
        try {
            (0,fs_anchor/* unlinkAt */.H_)(root, mine);
        }
        catch {
            // renamed into the lock, or never created
        }
    }
}

// EXTERNAL MODULE: ./src/engine/settings.ts
var engine_settings = __webpack_require__(4441);
// EXTERNAL MODULE: ./src/engine/suggest.ts
var suggest = __webpack_require__(3708);
;// CONCATENATED MODULE: ./src/engine/checks.ts
/**
 * What a run checks before it changes anything, beyond validating each option: options that
 * contradict each other, a root that does not look like an environment, and what a person should
 * hear about targets that are not there. Refusals throw a coded error naming the option to change.
 */








/** What makes a directory recognizably an environment: a config or compose file, or what it protects. */
const ENVIRONMENT_SIGNS = ['models', '.env', '.git', ...DEFAULT_COMPOSE_FILES, PROD_COMPOSE_FILE];
function refuseUnknownRoot(root, settings, composeFiles, names) {
    // A config file outside the root (a shared fleet file) says nothing about this directory.
    if ((0,engine_settings/* rootConfigFile */.B4)(settings) !== null || composeFiles.length > 0)
        return;
    if (ENVIRONMENT_SIGNS.some((n) => external_node_fs_default().existsSync(external_node_path_default().join(root.path, n))))
        return;
    throw (0,errors/* fail */.fJ)('ERR_NOT_AN_ENVIRONMENT', `refusing to purge ${(0,common_text/* showPath */.P8)(root.path)}: it shows no sign of being an environment (no config or compose file, no models/, .env or .git); run this from the environment's root, or name it with ${names('root')}`);
}
/** Options that cannot both hold: refused before anything is looked at, naming both. */
function refuseContradictions(settings, names) {
    const both = (a, b, why) => {
        throw (0,errors/* fail */.fJ)('ERR_CONFLICT', `${names(a)} and ${b} contradict each other: ${why}; drop one of them`);
    };
    if (settings.full && settings.docker === 'off')
        both('full', `${names('docker')} off`, 'full removes the stack\'s volumes, which needs docker');
    if (settings.full && settings.keepRunning)
        both('full', names('keep-running'), 'full removes the stack\'s volumes, which needs the stack stopped');
    if (settings.services.length > 0 && settings.docker === 'off')
        both('services', `${names('docker')} off`, 'resetting services needs docker');
    if (settings.services.length > 0 && settings.keepRunning)
        both('services', names('keep-running'), 'services are reset by stopping them');
}
/**
 * What a person should hear about targets that are not there: a listed one that does not exist
 * (with the existing path it most likely meant), and plainly when there is nothing to purge at all.
 */
function missingTargets(plan, root, settings, names) {
    const out = [];
    const listed = settings.ephemeral.join('\n') !== engine_settings/* DEFAULT_EPHEMERAL */.q9.join('\n');
    for (const t of plan.targets) {
        if (t.status !== 'missing' || !listed)
            continue;
        const near = (0,suggest/* closestPath */.Bz)(root, t.path);
        out.push(`${names('ephemeral')} entry ${JSON.stringify(t.path)} does not exist${near ? `: did you mean ${(0,common_text/* showPath */.P8)(near)}?` : ''}`);
    }
    if (plan.targets.every((t) => t.status === 'missing')) {
        out.push(`nothing to purge: none of the ${plan.targets.length} target(s) exists in root (${plan.targets.map((t) => (0,common_text/* showPath */.P8)(t.path)).join(', ')})`);
    }
    return out;
}
/** The seed's pre-flight: say when the precious things are absent, without failing. */
function preflight(rootDir) {
    const out = [];
    for (const p of ['models', '.env']) {
        const found = (0,lookup/* lookupTarget */.E)(rootDir, p);
        if (found.found)
            found.target.parent.close();
        else if (found.missing)
            out.push(`preflight: ${p} is absent from root (nothing to protect there); check that root is the right directory`);
    }
    return out;
}

// EXTERNAL MODULE: ./src/fs/flags.ts
var fs_flags = __webpack_require__(7400);
;// CONCATENATED MODULE: ./src/fs/access.ts
/**
 * Whether this process could unlink an entry, found out without trying, so that a dry run (and a
 * real run, before it stops the stack) can say what a purge would fail on: write and search
 * permission on the entry's directory (access(2), the kernel's own check for this process), the
 * sticky bit (then only the entry's or the directory's owner may unlink), a read-only filesystem,
 * and the immutable and append-only flags of the entry and of its directory.
 */


const S_ISVTX = 0o1000;
/** One check per directory (cached by its anchor), then one comparison per entry. */
class UnlinkCheck {
    uid;
    dirs = new WeakMap();
    constructor(uid = process.geteuid?.() ?? -1) {
        this.uid = uid;
    }
    /**
     * Why `entry` (in the open directory `parent`) could not be unlinked by this process; null when
     * nothing says so. `entry.uid`/`entry.flags` come from the walk's lstat (flags -1 or absent:
     * unknown, then only the directory is checked). `at.rel` is the entry's root-relative path,
     * read only when there is something to say: most entries cost one cached lookup and no string.
     */
    denied(parent, entry, at) {
        const dir = this.facts(parent);
        const bits = entry.flags ?? -1;
        if (dir.clear && bits <= 0 && (!dir.sticky || this.uid === 0 || dir.uid === this.uid || entry.uid === this.uid))
            return null;
        const i = at.rel.lastIndexOf('/');
        const where = i === -1 ? 'the root' : at.rel.slice(0, i);
        const owner = entry.uid ?? null;
        if (dir.denied === 'EROFS')
            return { code: 'EROFS', why: `${where} is on a read-only filesystem`, rootCan: false, owner };
        const dirFlag = (0,fs_flags/* blockingFlag */.qy)(dir.flags);
        if (dirFlag)
            return { code: 'EPERM', why: `${where} is ${dirFlag} (chattr; nobody can unlink in it)`, rootCan: false, owner };
        const flag = (0,fs_flags/* blockingFlag */.qy)((0,fs_flags/* decodeFlags */.Yy)(bits));
        if (flag)
            return { code: 'EPERM', why: `it is ${flag} (chattr; nobody can unlink it)`, rootCan: false, owner };
        if (this.uid === 0)
            return null;
        if (dir.denied === 'EACCES') {
            return { code: 'EACCES', why: `${where} is not writable by uid ${this.uid} (owner ${dir.uid}, mode ${(dir.mode & 0o7777).toString(8)})`, rootCan: true, owner };
        }
        if (dir.sticky && dir.uid !== this.uid && owner !== null && owner !== this.uid) {
            return { code: 'EPERM', why: `${where} is sticky and neither it nor the entry is owned by uid ${this.uid} (the entry's owner is ${owner})`, rootCan: true, owner };
        }
        return null;
    }
    facts(dir) {
        const known = this.dirs.get(dir);
        if (known)
            return known;
        let denied = null;
        try {
            external_node_fs_default().accessSync(dir.listPath(), (external_node_fs_default()).constants.W_OK | (external_node_fs_default()).constants.X_OK);
        }
        catch (err) {
            const code = err.code;
            denied = code === 'EROFS' ? 'EROFS' : 'EACCES';
        }
        let uid = -1;
        let mode = 0;
        let flags = null;
        try {
            const f = (0,fs_flags/* flagsAt */.jZ)(dir, null);
            uid = f.uid;
            mode = f.mode;
            flags = f.flags;
        }
        catch {
            // unknown: the access check above still stands
        }
        const clear = denied === null && (0,fs_flags/* blockingFlag */.qy)(flags) === null;
        const facts = { clear, denied, uid, mode, sticky: (mode & S_ISVTX) !== 0, flags };
        this.dirs.set(dir, facts);
        return facts;
    }
}

// EXTERNAL MODULE: external "node:url"
var external_node_url_ = __webpack_require__(3136);
;// CONCATENATED MODULE: ./src/docker/pass.ts
/**
 * The container form of the privileged pass: the image check (present, or pulled), and the one
 * `docker run` that runs the bundled CLI as root on the root's targets. Scoped by construction:
 * the container sees the root at /env and the bundle read-only at /safe-purge, nothing else of
 * the host; no network, a read-only filesystem, every capability dropped but the two that
 * deletion needs (DAC_OVERRIDE to pass permission bits, FOWNER for sticky directories), and no
 * way to gain more (no-new-privileges).
 */


/** Where the root is mounted in the container. */
const PASS_ROOT = '/env';
/** Where the bundle (dist/) is mounted, read-only. */
const PASS_BUNDLE = '/safe-purge';
/**
 * Whether the container pass can run: a daemon on this machine (a bind mount names a folder of the
 * daemon's host), usable by this user, with the image present, or pulled when `pull` (a dry run
 * changes nothing, so it only says whether the image is there).
 */
async function checkImage(ctx, pull) {
    const host = ctx.dockerHost || ctx.env.DOCKER_HOST || '';
    if (host !== '' && !host.startsWith('unix://')) {
        return { ok: false, absent: false, why: `the docker daemon is at ${host}, not on this machine, so it cannot mount this root` };
    }
    const cli = new DockerCli({ cwd: ctx.root, env: ctx.env, dockerHost: ctx.dockerHost, timeoutMs: ctx.timeoutSeconds * 1000, timeoutOption: ctx.timeoutOption }, ctx.runner, ctx.trace);
    const inspect = { command: 'docker', args: ['image', 'inspect', '--format', '{{.Id}}', ctx.image] };
    const r = await cli.run(inspect);
    if (ok(r))
        return { ok: true, pulled: false };
    if (r.spawnError || r.timedOut || !/no such image/i.test(r.stderr)) {
        return { ok: false, absent: false, why: `docker is not usable: ${cli.failure(inspect, r)}` };
    }
    if (!pull)
        return { ok: false, absent: true, why: `the image ${ctx.image} is not present on this machine` };
    const pullCmd = { command: 'docker', args: ['pull', '--quiet', ctx.image] };
    const p = await cli.run(pullCmd);
    if (ok(p))
        return { ok: true, pulled: true };
    return { ok: false, absent: true, why: `the image ${ctx.image} is not present and could not be pulled (${lastLines(p.stderr, 1) || (p.timedOut ? 'timed out' : `exit ${p.exitCode}`)})` };
}
/**
 * `docker run` for the pass: the CLI bundle in `bundleDir` runs with the image's node, as root,
 * reading its job on stdin. Paths with a comma, a quote or a newline cannot be spelled in --mount
 * safely: the caller refuses them (see mountable).
 */
function containerPassCommand(image, root, bundleDir) {
    return {
        command: 'docker',
        args: [
            'run', '--rm', '-i', '--pull', 'never', '--log-driver', 'none',
            '--network', 'none', '--read-only', '--user', '0:0',
            '--cap-drop', 'ALL', '--cap-add', 'DAC_OVERRIDE', '--cap-add', 'FOWNER',
            '--security-opt', 'no-new-privileges',
            '--label', 'com.safe-purge.pass=privileged',
            '--mount', `type=bind,source=${root},target=${PASS_ROOT}`,
            '--mount', `type=bind,source=${bundleDir},target=${PASS_BUNDLE},readonly`,
            '--workdir', '/',
            '--entrypoint', 'node',
            image,
            `${PASS_BUNDLE}/cli/index.js`, '--privileged-pass'
        ]
    };
}
/** Why `path` cannot be bind-mounted by a --mount option, or null when it can. */
function unmountable(path) {
    return /[,"\n\r]/.test(path) ? `its path ${JSON.stringify(path)} holds a comma, a quote or a line break, which docker's --mount cannot take` : null;
}

;// CONCATENATED MODULE: ./src/engine/privileged.ts
/**
 * The privileged pass: when a run as an ordinary user could not delete entries for permission
 * reasons (a container wrote them as root, or as its own uid), the same bundled engine runs once
 * more as root on just those targets, through `sudo -n` or a container (docker/pass.ts), with the
 * same protected patterns, `docker: off`, and a JSON answer back. Never a shell `rm`.
 *
 * This module decides whether it can run (which mode, and why not), runs it, and folds its answer
 * into the outer run's outcome, which the outer run then verifies. The pass itself is the CLI's
 * `--privileged-pass` (cli/pass.ts): it reads a PassJob on stdin and checks that the root it sees
 * is the node (device + inode) the outer run guarded before it changes anything.
 */








/** Bumped whenever PassJob or PassAnswer change: an outer run and its pass come from one bundle. */
const PASS_PROTOCOL = 1;
/** Effective uid 0: nothing to escalate. */
function runningAsRoot() {
    return process.geteuid?.() === 0;
}
/** A deletion error a root pass can fix: a permission error, not an immutable or append-only entry. */
function escalatable(e) {
    return (0,errors/* isPermissionCode */.bQ)(e.code) && e.flags === undefined;
}
/**
 * The bundle holding `cli/index.js`: dist/ from dist/index.js (the action), from dist/cli/index.js
 * (the CLI), and from src/engine/ (tests running the sources).
 */
function findBundle() {
    const here = external_node_path_default().dirname((0,external_node_url_.fileURLToPath)(import.meta.url));
    for (const d of [here, external_node_path_default().join(here, '..'), external_node_path_default().join(here, '..', '..', 'dist')]) {
        if (external_node_fs_default().existsSync(external_node_path_default().join(d, 'cli', 'index.js')) && external_node_fs_default().existsSync(external_node_path_default().join(d, 'index.js')))
            return external_node_path_default().resolve(d);
    }
    return null;
}
/**
 * Decides, once per run, which mode can finish what this user cannot delete. `auto` tries sudo,
 * then a container; each mode that cannot be used says why, for the refusal or the report.
 */
class Escalator {
    ctx;
    cached = null;
    bundle;
    constructor(ctx) {
        this.ctx = ctx;
        this.bundle = ctx.bundleDir ?? findBundle();
    }
    /**
     * `pull`: a missing image may be pulled (a real run, once a pass is needed); a dry run never
     * pulls. Found once; asked again only to pull an image that was found missing.
     */
    async resolve(pull) {
        if (this.cached && !(pull && this.cached.pullable))
            return this.cached;
        this.cached = await this.find(pull);
        return this.cached;
    }
    async find(pull) {
        const { ctx, bundle } = this;
        const tried = [];
        let pullable = false;
        if (ctx.mode === 'off')
            return { use: null, tried: [`${ctx.names('privileged')} is off`], pullable };
        if (bundle === null)
            return { use: null, tried: ['the bundled CLI (cli/index.js next to this bundle) is missing'], pullable };
        if (ctx.mode === 'sudo' || ctx.mode === 'auto') {
            const why = await this.sudoProblem();
            if (why === null)
                return { use: { via: 'sudo', image: null, pulled: false }, tried, pullable };
            tried.push(`sudo: ${why}`);
        }
        if (ctx.mode === 'container' || ctx.mode === 'auto') {
            const why = unmountable(ctx.root) ?? unmountable(bundle);
            if (why !== null)
                tried.push(`container: ${why}`);
            else {
                const img = await checkImage({ ...ctx, timeoutOption: ctx.names('docker-timeout') }, pull);
                if (img.ok)
                    return { use: { via: 'container', image: ctx.image, pulled: img.pulled }, tried, pullable };
                pullable = img.absent && !pull;
                tried.push(`container: ${img.why}${pullable ? ' (a real run pulls it before it changes anything)' : ''}`);
            }
        }
        return { use: null, tried, pullable };
    }
    /** Null when `sudo -n true` succeeds (no password needed), else why not. */
    async sudoProblem() {
        const cmd = { command: 'sudo', args: ['-n', 'true'] };
        this.ctx.trace?.(`$ ${describe(cmd)}`);
        const r = await this.ctx.runner(cmd, { timeoutMs: 15000, env: this.ctx.env, cwd: '/' });
        if (r.exitCode === 0 && !r.timedOut)
            return null;
        if (r.spawnError === 'ENOENT')
            return 'sudo is not installed';
        if (r.spawnError)
            return `sudo could not start (${r.spawnError})`;
        if (r.timedOut)
            return 'sudo -n true did not answer within 15 s';
        const said = r.stderr.trim().split('\n')[0] ?? '';
        return /password/i.test(said) ? 'a password is required (sudo -n never prompts)' : `sudo -n true exited ${r.exitCode}${said ? `: ${said}` : ''}`;
    }
    /** The command that runs the pass, and the job's root as the pass sees it. */
    passCommand(esc) {
        const { bundle } = this;
        if (bundle === null)
            throw new Error('the bundled CLI is missing');
        if (esc.via === 'sudo') {
            // -n: never prompt. sudo resets the environment; node and the bundle are named by absolute path.
            return { cmd: { command: 'sudo', args: ['-n', '--', process.execPath, external_node_path_default().join(bundle, 'cli', 'index.js'), '--privileged-pass'] }, root: this.ctx.root, env: this.ctx.env };
        }
        return { cmd: containerPassCommand(esc.image ?? this.ctx.image, this.ctx.root, bundle), root: PASS_ROOT, env: dockerEnv(this.ctx.env, this.ctx.dockerHost) };
    }
}
/** Runs the pass for `job` and reads its answer. */
async function runPass(escalator, esc, job, opts) {
    const { cmd, root, env } = escalator.passCommand(esc);
    const full = { protocol: PASS_PROTOCOL, root, ...job };
    const command = describe(cmd);
    const r = await runPassProcess(cmd, { input: JSON.stringify(full), env, cwd: '/', signal: opts.signal, onStderrLine: opts.onLine });
    if (r.spawnError)
        return { answer: null, problem: `${command} could not start (${r.spawnError})`, command };
    if (r.overflow)
        return { answer: null, problem: `${command} answered with more than 256 MiB`, command };
    let answer = null;
    try {
        const parsed = JSON.parse(r.stdout);
        if (parsed && typeof parsed === 'object' && parsed.protocol === PASS_PROTOCOL)
            answer = parsed;
    }
    catch {
        // reported below, with what it said
    }
    if (answer === null) {
        const said = r.stderr.trim().split('\n').slice(-3).join(' | ');
        const how = r.signal ? `was killed by ${r.signal}` : `exited ${r.exitCode}`;
        return { answer: null, problem: `${command} ${how} without an answer${said ? `: ${said}` : ''}`, command };
    }
    if (answer.error)
        return { answer, problem: `the privileged pass refused: ${String(answer.error.message)}`, command };
    if (!wellFormed(answer.report))
        return { answer: null, problem: `${command} answered without a well-formed report`, command };
    return { answer, problem: null, command };
}
const isCount = (v) => typeof v === 'number' && Number.isFinite(v) && v >= 0;
const isStr = (v) => typeof v === 'string';
/** The parts of a pass's report the outer run reads, checked before they are merged. */
function wellFormed(r) {
    const rep = r;
    if (!rep || typeof rep !== 'object' || !Array.isArray(rep.targets) || !Array.isArray(rep.errors) || !Array.isArray(rep.failures))
        return false;
    if (typeof rep.verification?.ok !== 'boolean' || !rep.totals || !isCount(rep.totals.files) || !isCount(rep.totals.bytes))
        return false;
    const tallies = ['files', 'bytes', 'dirs', 'others', 'truncatedFiles', 'truncatedBytes', 'heldUnlinkedFiles', 'heldUnlinkedBytes'];
    return (rep.targets.every((t) => t && isStr(t.path) && isStr(t.result) && tallies.every((k) => isCount(t[k])) && Array.isArray(t.kept) && Array.isArray(t.truncated) && Array.isArray(t.heldUnlinked)) &&
        rep.errors.every((e) => e && isStr(e.path) && isStr(e.code) && isStr(e.message)) &&
        rep.failures.every(isStr));
}
/**
 * The pass's failures the outer run reports itself: all of them but the count of deletion errors,
 * whose errors are merged into the outcome (matched by the exact line the report writes).
 */
function passFailures(report) {
    const merged = `${report.errors.length} deletion error(s); first: `;
    return report.failures.filter((f) => !(report.errors.length > 0 && f.startsWith(merged)));
}
/**
 * Folds the pass's report into the outer outcome: each target it handled takes the pass's result,
 * kept entries and errors, and adds its counts (what the first pass removed stays counted).
 */
function mergePass(outcome, answer) {
    const report = answer.report;
    const byPath = new Map(report.targets.map((t) => [t.path, t]));
    const errors = passErrorsByTarget(report);
    for (const o of outcome.targets) {
        const p = byPath.get(o.path);
        if (!p)
            continue;
        mergeTarget(o, p, errors.get(o.path) ?? [], answer.truncatedNodes?.[o.path] ?? []);
    }
    const totals = { files: 0, bytes: 0, dirs: 0, others: 0, truncatedFiles: 0, truncatedBytes: 0, heldUnlinkedFiles: 0, heldUnlinkedBytes: 0 };
    for (const t of outcome.targets)
        (0,engine_plan/* addTally */.c8)(totals, t);
    outcome.totals = totals;
    // An error of the pass under none of its targets is kept all the same: none may go unreported.
    const placed = new Set([...errors.values()].flat());
    outcome.errors = [...outcome.targets.flatMap((t) => t.errors), ...report.errors.filter((e) => !placed.has(e))];
    if (report.cancelled)
        outcome.cancelled = true;
}
function mergeTarget(o, p, errors, nodes) {
    (0,engine_plan/* addTally */.c8)(o, p);
    o.result = p.result;
    o.reason = p.reason;
    o.kept = p.kept;
    o.keptTotal = p.keptTotal;
    o.keptDirs = p.keptDirs;
    o.truncated = [...o.truncated, ...p.truncated];
    o.heldUnlinked = [...o.heldUnlinked, ...p.heldUnlinked];
    o.truncatedNodes = [...o.truncatedNodes, ...nodes.map(([dev, ino]) => ({ dev, ino }))];
    // The pass's own errors replace the permission errors it was given: those are what remain.
    o.errors = errors;
}
/** The pass's errors, by target (its report keeps them in one list). */
function passErrorsByTarget(report) {
    const out = new Map();
    for (const t of report.targets)
        out.set(t.path, []);
    for (const e of report.errors) {
        const t = report.targets.find((x) => e.path === x.path || e.path.startsWith(`${x.path}/`));
        if (t)
            out.get(t.path)?.push(e);
    }
    return out;
}

// EXTERNAL MODULE: ./src/common/boot.ts
var boot = __webpack_require__(6093);
;// CONCATENATED MODULE: ./src/engine/privileged-pass.ts





/** The phase title: the mode is in it, for the log and the CLI's steps. */
const PHASE_PRIVILEGED = 'Privileged pass';
/**
 * Runs the second pass, as root, on the targets that had permission errors only, when it may;
 * says in `info.notes` why not, and in `failed` what went wrong.
 */
async function privilegedPass(step, first, info, failed, cancelled) {
    const { settings, names, escalator, log } = step;
    info.firstPass = first.errors.filter(escalatable);
    const other = first.errors.filter((e) => !escalatable(e));
    const refused = first.targets.find((t) => t.result === 'refused' || t.result === 'changed');
    const why = settings.privileged === 'off' ? `${names('privileged')} is off`
        : cancelled ? 'the run was cancelled'
            : failed.length > 0 ? `the run already failed (${failed[0]})`
                : refused ? `the target ${(0,common_text/* showPath */.P8)(refused.path)} was ${refused.result} (${refused.reason ?? ''})`
                    : other.length > 0 ? `the purge also failed for another reason (${(0,common_text/* showPath */.P8)(other[0].path)}: ${other[0].code}${other[0].flags ? `, ${other[0].flags}` : ''})`
                        : null;
    if (why !== null) {
        info.notes.push(`the privileged pass did not run: ${why}`);
        return;
    }
    const moved = diffFingerprints(step.before, takeFingerprint(step.rootDir, step.policy));
    if (moved.missing.length + moved.changed.length > 0) {
        info.notes.push('the privileged pass did not run: a protected entry changed during the purge');
        return;
    }
    const availability = await escalator.resolve(true);
    info.availability = availability;
    const esc = availability.use;
    if (esc === null) {
        info.notes.push(`no privileged pass is available: ${availability.tried.join('; ')}`);
        return;
    }
    const targets = first.targets.filter((t) => t.errors.some(escalatable)).map((t) => t.path);
    const title = `${PHASE_PRIVILEGED} (${esc.via === 'sudo' ? 'sudo' : `container ${esc.image}`})`;
    await step.phase(title, async () => {
        log.info(`${info.firstPass.length} entr(ies) this user could not delete, in ${targets.map(common_text/* showPath */.P8).join(', ')}: running the same engine as root`);
        const job = {
            expect: { dev: step.root.dev, ino: step.root.ino, boot: (0,boot/* bootId */.a)() }, targets,
            protected: [...settings.protected], exact: step.exact, removeTargetDirs: settings.removeTargetDirs
        };
        const r = await runPass(escalator, esc, job, { signal: step.signal, onLine: (line) => log.info(`  | ${line}`) });
        info.ran = { ...esc, command: r.command, targets, report: r.answer?.report ?? null, problem: r.problem };
        if (r.problem !== null || !r.answer) {
            failed.push(`privileged pass: ${r.problem}`);
            return;
        }
        const report = r.answer.report;
        try {
            mergePass(first, r.answer);
        }
        catch (err) {
            failed.push(`privileged pass: its report could not be merged (${(0,errors/* errorMessage */.gJ)(err)})`);
            return;
        }
        for (const f of passFailures(report))
            failed.push(`privileged pass: ${f}`);
    });
}

// EXTERNAL MODULE: ./src/engine/privileged-report.ts
var privileged_report = __webpack_require__(9992);
// EXTERNAL MODULE: ./src/fs/move.ts
var move = __webpack_require__(10);
;// CONCATENATED MODULE: ./src/engine/move-plan.ts
/**
 * Strategy move, the planner's half: which targets can be renamed into the trash whole, read-only.
 * A target moves only when it holds nothing to keep: no protected entry (at any depth, by the
 * policy), no mount point, no file a process holds open, no entry this user could not delete,
 * and nothing a running container or process would keep writing into (keep-running, services).
 * Every other target is purged in place, as with strategy purge, and the report says why.
 *
 * Finding protected entries means reading every directory entry once (names only, no stat): in C
 * with the native helper when every pattern is a literal name, else through the policy in
 * JavaScript. That is the one cost of a move that grows with the tree; a protected entry that
 * appears after this look is found by the trash purge, which puts it back (execute-trash.ts).
 */







/** Deeper than this, the JavaScript look gives up and the target is purged in place. */
const MAX_DEPTH = 1024;
/** Which targets move whole, and why the others stay. */
function decideMoves(rootDir, rootPath, plan, policy, ctx) {
    const present = plan.targets.filter((t) => t.status === 'present');
    const stay = (t, why) => ({ path: t.path, move: false, why });
    if (ctx.keepRunning)
        return { decisions: present.map((t) => stay(t, 'keep-running: its writers keep running and would write into the moved directory')), warnings: [] };
    if (ctx.services.length > 0)
        return { decisions: present.map((t) => stay(t, 'services: the services left running may write into it')), warnings: [] };
    const mounts = mountPoints();
    const abs = (t) => external_node_path_default().join(rootPath, t.path);
    const { users, uninspected } = usersUnder(present.map(abs));
    const warnings = uninspected > 0 ? [`${uninspected} process(es) of other users could not be inspected (run as root to see them): a file one of them holds open in a moved target is deleted with the trash, and its space comes back only when it closes it`] : [];
    const decisions = present.map((t) => {
        if (ctx.checks && (t.deniedTotal > 0 || t.unreadable.length > 0))
            return stay(t, `${t.deniedTotal + t.unreadable.length} entr(ies) in it cannot be deleted by this user (the privileged pass finishes them in place)`);
        const exact = policy.exact.find((e) => e.startsWith(`${t.path}/`));
        if (exact !== undefined)
            return stay(t, `it holds ${exact}, protected as a file this run uses`);
        const mount = mounts.find((m) => m.startsWith(`${abs(t)}/`));
        if (mount !== undefined)
            return stay(t, `it holds a mount point (${mount})`);
        if (t.kind === 'dir' && !ctx.removeTargetDirs && (0,fs_anchor/* fastPath */.Gm)() === null) {
            return stay(t, 'without the native helper, the ACLs of the empty directory that replaces it cannot be copied (remove-target-dirs needs no replacement)');
        }
        const user = users.get(abs(t))?.[0];
        if (user !== undefined)
            return stay(t, `process ${user.pid} (${user.command}) has something in it open`);
        const found = look(rootDir, t.path, policy, true);
        if (found !== null)
            return stay(t, found);
        return { path: t.path, move: true };
    });
    return { decisions, warnings };
}
/**
 * Targets whose insides the fingerprint need not read: `known` (looked through already: the targets
 * that move), and those in which the native helper's look finds no protected
 * entry, mount point or unreadable directory in them, and no exact protected path lies under them.
 * Without the helper (or with patterns it cannot match), none: the fingerprint's own walk is then
 * as fast as a look in JavaScript would be.
 */
function nothingToFingerprintIn(rootDir, plan, policy, known) {
    const clean = new Set(known);
    if ((0,fs_anchor/* fastPath */.Gm)() === null || policy.literalNames === null)
        return clean;
    for (const t of plan.targets) {
        if (t.status !== 'present' || known.has(t.path) || policy.exact.some((e) => e.startsWith(`${t.path}/`)))
            continue;
        if (look(rootDir, t.path, policy, false) === null)
            clean.add(t.path);
    }
    return clean;
}
/**
 * Why the target must be purged in place (a protected entry, a mount point, a read error), or
 * null. `jsToo`: walk in JavaScript where the native helper cannot look (else that is a reason).
 */
function look(rootDir, rel, policy, jsToo) {
    const found = (0,lookup/* lookupTarget */.E)(rootDir, rel);
    if (!found.found)
        return `it could not be looked at again: ${found.reason}`;
    const { target } = found;
    try {
        if (target.kind !== 'dir')
            return null;
        let dir;
        try {
            dir = (0,lookup/* openCheckedDir */.H)(target.parent, target.name, target.st);
        }
        catch (err) {
            return `it cannot be opened (${err.code ?? 'error'})`;
        }
        try {
            const lit = policy.literalNames;
            const r = lit !== null ? (0,move/* probeKept */.fF)(dir, lit.names, lit.dirNames) : 'unsupported';
            if (r === null)
                return null;
            if (r !== 'unsupported')
                return stays(`${rel}/${r.path}`, r.reason, r.code);
            return jsToo ? lookJs(rootDir, dir, rel, policy, 0) : 'the native helper cannot look';
        }
        finally {
            dir.close();
        }
    }
    finally {
        target.parent.close();
    }
}
function stays(rel, reason, code) {
    if (reason === 'protected')
        return `it holds ${rel}, which is protected`;
    if (reason === 'mount-point')
        return `it holds a mount point (${rel})`;
    return `${rel} could not be read (${code ?? 'error'})`;
}
/** The policy's own walk, names only (d_type), stopping at the first entry that must stay. */
function lookJs(rootDir, dir, dirRel, policy, depth) {
    if (depth > MAX_DEPTH)
        return `it is deeper than ${MAX_DEPTH} levels`;
    try {
        for (const d of (0,entries/* typedEntries */.vj)(dir)) {
            const text = d.name.toString('utf8');
            const rel = `${dirRel}/${text}`;
            let kind = d.kind;
            if (kind === null) {
                try {
                    kind = (0,entries/* kindOf */.I)((0,fs_anchor/* lstatAt */.ag)(dir, d.name));
                }
                catch (err) {
                    if (err.code === 'ENOENT')
                        continue;
                    return stays(rel, 'unreadable', err.code);
                }
            }
            if (policy.isProtectedIn(dirRel, text, kind === 'dir'))
                return stays(rel, 'protected');
            if (kind !== 'dir')
                continue;
            let child;
            try {
                child = dir.openChild(d.name);
            }
            catch (err) {
                if (err.code === 'ENOENT')
                    continue;
                return stays(rel, 'unreadable', err.code);
            }
            try {
                if (!rootDir.sameMount(child))
                    return stays(rel, 'mount-point');
                const r = lookJs(rootDir, child, rel, policy, depth + 1);
                if (r !== null)
                    return r;
            }
            finally {
                child.close();
            }
        }
    }
    catch (err) {
        return stays(dirRel, 'unreadable', err.code);
    }
    return null;
}
/** Every mount point of this process's view (/proc/self/mountinfo, octal escapes decoded). */
function mountPoints() {
    try {
        return external_node_fs_default().readFileSync('/proc/self/mountinfo', 'utf8')
            .split('\n')
            .map((l) => l.split(' ')[4])
            .filter((m) => m !== undefined)
            .map((m) => m.replace(/\\([0-7]{3})/g, (_, o) => String.fromCharCode(parseInt(o, 8))));
    }
    catch {
        return [];
    }
}

// EXTERNAL MODULE: ./src/engine/execute-trash.ts
var execute_trash = __webpack_require__(418);
// EXTERNAL MODULE: ./src/engine/trash.ts
var engine_trash = __webpack_require__(6924);
// EXTERNAL MODULE: ./src/engine/trash-purge.ts
var trash_purge = __webpack_require__(6462);
;// CONCATENATED MODULE: ./src/engine/trash-steps.ts




const PHASE_LEFTOVERS = 'Trash: delete what earlier runs left';
/**
 * Finds the trashes no standing claim holds and, in a real run, deletes them. A trash this run
 * cannot use (another user's, a link) is warned of and left alone: it stops no purge.
 */
async function leftoverStep(rootDir, policy, dryRun, ctx) {
    const out = { info: { leftoverRuns: [], leftovers: [], kept: [] }, warnings: [], failures: [] };
    const warn = (w) => {
        ctx.log.warning(w);
        out.warnings.push(w);
    };
    try {
        out.info.leftoverRuns = (0,trash_purge/* leftoverRuns */.q8)(rootDir);
        const trash = (0,engine_trash/* openTrash */.X$)(rootDir, false);
        if (trash !== null) {
            out.info.kept = (0,engine_trash/* keptRuns */.rk)(trash);
            trash.close();
        }
    }
    catch (err) {
        warn(`the trash cannot be used, so what earlier runs left in it stays: ${(0,errors/* errorMessage */.gJ)(err)}`);
        return out;
    }
    if (out.info.kept.length > 0)
        warn(`${out.info.kept.length} trash(es) hold what their deletion could not remove or put back (${out.info.kept.join(', ')} in .safe-purge-trash/): check them, then delete them by hand`);
    if (dryRun || out.info.leftoverRuns.length === 0 || ctx.signal?.aborted)
        return out;
    out.info.leftovers = await ctx.phase(PHASE_LEFTOVERS, async () => {
        const done = await (0,trash_purge/* purgeLeftovers */.kZ)(rootDir, out.info.leftoverRuns, (0,engine_trash/* claimFor */.sI)('leftover', ctx.env), policy, { signal: ctx.signal });
        for (const r of done)
            ctx.log.info(`trash ${r.run} (left by an earlier run): ${r.totals.files} file(s), ${(0,common_text/* formatBytes */.z3)(r.totals.bytes)} deleted${r.ok ? '' : `; ${r.failures[0]}`}`);
        return done;
    });
    for (const r of out.info.leftovers)
        out.failures.push(...r.failures.map((f) => `trash left by an earlier run: ${f}`));
    return out;
}
/**
 * Writes the claim of whoever deletes this run's trash later; true when it was handed over.
 * Nobody named, or a failure: it is a leftover, which the next run deletes first.
 */
function handTrashOff(rootDir, rootPath, run, to, warn) {
    try {
        const who = to?.(run, rootPath) ?? null;
        if (who === null)
            return false;
        (0,engine_trash/* handOff */.VW)(rootDir, run, who);
        return true;
    }
    catch (err) {
        warn(`the trash ${run} could not be handed to its later deletion (${(0,errors/* errorMessage */.gJ)(err)}): the next run deletes it first`);
        return false;
    }
}

;// CONCATENATED MODULE: ./src/engine/run.ts
/**
 * The engine both entry points call: settings -> policy -> plan -> (confirm) -> fingerprint ->
 * docker down -> execute -> verify -> report. Refusals (bad input, unsafe root, no confirmation)
 * throw a coded error before anything is changed; problems after that are in the result.
 */






























/** The phases that change something: an error thrown once one of them began is not a refusal. */
const PHASE_DOCKER_STOP = 'Docker: stop the stack';
const PHASE_PURGE = 'Purge';
const PHASE_DOCKER_START = 'Docker: start the services again';
const PHASE_TRASH = 'Trash: delete';

const CHANGING_PHASES = new Set([PHASE_DOCKER_STOP, PHASE_PURGE, PHASE_DOCKER_START, PHASE_PRIVILEGED, PHASE_LEFTOVERS, PHASE_TRASH]);
/** Whether a phase (a log group) changes something; the privileged pass's title names its mode. */
function changesSomething(phase) {
    return CHANGING_PHASES.has(phase) || phase.startsWith(`${PHASE_PRIVILEGED} (`);
}
/** The action's rule: `force`, or `confirm` equal to the root folder's name. */
const confirmByName = async ({ settings, root }) => {
    if (settings.force || settings.confirm === root.name)
        return null;
    const got = settings.confirm === '' ? 'no confirm was given' : `confirm ${JSON.stringify(settings.confirm)} does not match`;
    return `refusing to purge ${(0,common_text/* showPath */.P8)(root.path)}: ${got}; set confirm: ${JSON.stringify(root.name)} (the root folder's name), or force: true for automation`;
};
/** Validates everything; throws a coded error, and touches nothing, on any violation. */
async function prepare(settings, deps) {
    if ((0,fs_anchor/* procRequiredButMissing */.RW)()) {
        throw (0,errors/* fail */.fJ)('ERR_PLATFORM', 'this Linux has no /proc/self/fd, which safe-purge needs to delete anchored to opened directories: mount /proc');
    }
    const names = deps.names ?? options/* ACTION_NAMES */.G;
    refuseContradictions(settings, names);
    const root = (0,root_guard/* guardRoot */.aT)(settings.root, deps.guardEnv ?? (0,root_guard/* defaultGuardEnv */.A_)(deps.env), names);
    if (deps.pass && !(0,fs_anchor/* sameNode */.$Y)(root, deps.pass.expect)) {
        throw (0,errors/* fail */.fJ)('ERR_ROOT_CHANGED', `the privileged pass sees a root (device ${root.dev}, inode ${root.ino}) that is not the one the run guarded (device ${deps.pass.expect.dev}, inode ${deps.pass.expect.ino}): nothing was changed`);
    }
    if (deps.pass && deps.pass.expect.boot !== null && (0,boot/* bootId */.a)() !== deps.pass.expect.boot) {
        throw (0,errors/* fail */.fJ)('ERR_ROOT_CHANGED', `the privileged pass runs on another machine (boot id ${(0,boot/* bootId */.a)() ?? 'unknown'}, not ${deps.pass.expect.boot}): a docker daemon elsewhere mounted a folder of its own; nothing was changed`);
    }
    const project = await composeProject(root.path, {
        mode: settings.docker, files: settings.composeFiles, name: settings.composeProject, full: settings.full,
        protectedVolumes: settings.protectedVolumes, dockerHost: settings.dockerHost, timeoutSeconds: settings.dockerTimeout
    }, { env: deps.env, names, runner: deps.runner, trace: (line) => deps.log.info(line) });
    if (deps.rootImplicit)
        refuseUnknownRoot(root, settings, project.files, names);
    // A config file outside the root (named explicitly) is no path of this root to protect.
    const config = (0,engine_settings/* rootConfigFile */.B4)(settings);
    const exact = [...project.files, ...(config !== null ? [config] : []), ...(deps.pass?.exact ?? [])];
    const policy = (0,engine_policy/* createPolicy */.BV)(settings.protected, exact, names);
    const targets = (0,engine_policy/* validateTargets */.bU)(settings.ephemeral, policy, names);
    const compose = project.compose;
    return { root, policy, targets, compose, exact };
}
async function run(settings, deps) {
    const now = deps.now ?? (() => new Date());
    const started = now();
    const { log } = deps;
    // Each phase is a log group and is timed for the report (what an operator and the benchmark read).
    const timings = {};
    const phase = (name, fn) => log.group(name, async () => {
        const t0 = performance.now();
        try {
            return await fn();
        }
        finally {
            timings[name] = Math.round(performance.now() - t0);
        }
    });
    const prep = await phase('Validate', async () => prepare(settings, deps));
    const { root, policy, targets, compose } = prep;
    log.info(`root: ${(0,common_text/* showPath */.P8)(root.path)}${settings.dryRun ? ' (dry run: nothing will be changed)' : ''}`);
    const names = deps.names ?? options/* ACTION_NAMES */.G;
    // Entries this user cannot delete are finished by a root pass (privileged.ts), never from a root
    // run nor from the pass itself.
    const asRoot = deps.pass !== undefined || runningAsRoot();
    const escalator = new Escalator({
        mode: settings.privileged, image: settings.privilegedImage, root: root.path, dockerHost: settings.dockerHost,
        timeoutSeconds: settings.dockerTimeout, env: deps.env, names, runner: deps.runner ?? runCommand,
        trace: (line) => log.info(line), bundleDir: deps.bundleDir
    });
    let availability = null;
    // With privileged off, a run does what it always did: it fails on such entries as it meets them.
    const checks = !asRoot && settings.privileged !== 'off';
    let denied = null;
    const rootDir = (0,root_guard/* openRoot */.R8)(root);
    try {
        const warnings = [];
        const plan = await phase('Plan', async () => {
            warnings.push(...preflight(rootDir));
            for (const w of warnings)
                log.warning(w);
            // Counted up front when someone reads the plan before anything happens (dry run, a prompt),
            // and in every run as an ordinary user: what it could not delete must be known before the
            // stack is stopped (a root run that nobody reviews walks the tree once, while it purges).
            const count = settings.dryRun || deps.confirmReadsPlan === true || checks || deps.list === true;
            // A dry run shows which files a real run would truncate: exactly, when nothing is stopped first.
            const stays = settings.docker === 'off' || settings.keepRunning;
            const held = settings.dryRun && stays ? HeldFiles.scan([rootDir.dev], mapsReliableAt(root.path)) : undefined;
            const p = await (0,engine_plan/* scanTargets */.WB)(rootDir, root.path, targets, policy, count, deps.signal, { removeTargetDirs: settings.removeTargetDirs, held, access: count ? new UnlinkCheck() : undefined, list: deps.list });
            for (const line of planLines((0,engine_report/* previewTargets */.Fd)(p, true)))
                log.info(line);
            for (const w of missingTargets(p, root.path, settings, names)) {
                log.warning(w);
                warnings.push(w);
            }
            // A trash this run could not trust or use refuses the run before anything changes.
            if (settings.strategy === 'move' && !deps.pass)
                (0,engine_trash/* openTrash */.X$)(rootDir, false)?.close();
            if (checks) {
                denied = (0,privileged_report/* deniedEntries */.wk)(p);
                // sudo is asked (and an image looked for) only when something needs it; nothing is pulled yet.
                if (denied.rootCan > 0)
                    availability = await escalator.resolve(false);
                if (!settings.dryRun)
                    (0,privileged_report/* refusePermissions */.ns)(denied, availability, names, true);
            }
            return p;
        });
        const docker = await phase('Docker: discover', async () => compose.discover({ root, targets, keepRunning: settings.keepRunning, services: settings.services }));
        for (const w of docker.warnings) {
            log.warning(w);
            warnings.push(w);
        }
        if (docker.skipped) {
            const msg = `docker skipped: ${docker.skipped}`;
            if (settings.docker === 'off')
                log.info(msg);
            else {
                log.warning(msg);
                warnings.push(msg);
            }
            if (settings.full && settings.docker !== 'off') {
                const full = `full was requested but no volumes ${settings.dryRun ? 'would be' : 'were'} removed (docker skipped)`;
                log.warning(full);
                warnings.push(full);
            }
        }
        if (!settings.dryRun) {
            const refusal = await deps.confirm({ settings, root, plan, docker });
            if (refusal)
                throw (0,errors/* fail */.fJ)('ERR_NOT_CONFIRMED', refusal);
            // Confirmed: the container's image, if only it was missing, is pulled now, before anything
            // changes; a run that still has no mode refuses here, the stack still running.
            // (Both were set inside the Plan phase's callback, which TypeScript's narrowing does not follow.)
            const found = denied;
            const now = availability;
            if (found !== null && found.rootCan > 0 && now?.use == null && now?.pullable) {
                availability = await escalator.resolve(true);
                (0,privileged_report/* refusePermissions */.ns)(found, availability, names, false);
            }
        }
        // The outer run holds the lock while its privileged pass runs.
        const release = settings.dryRun || deps.pass ? () => { } : acquireLock(rootDir, root.path, (w) => log.warning(w));
        try {
            const failures = [];
            const cancelled = () => deps.signal?.aborted === true;
            let dockerActed = false;
            // A trash an earlier run left (killed, cancelled, its post step never ran) goes first. What
            // its deletion could not do fails this run too, but never stops this run's own purge.
            const trash = { strategy: settings.strategy, timing: settings.trash, run: null, moved: [], inPlace: [], handedOff: false, leftovers: [], leftoverRuns: [], kept: [], purge: null };
            const late = [];
            if (!deps.pass) {
                const left = await leftoverStep(rootDir, policy, settings.dryRun, { log, phase, env: deps.env, signal: deps.signal });
                Object.assign(trash, left.info);
                warnings.push(...left.warnings);
                late.push(...left.failures);
            }
            if (!settings.dryRun && docker.active && !settings.keepRunning && !cancelled()) {
                try {
                    await phase(PHASE_DOCKER_STOP, async () => {
                        dockerActed = true;
                        await compose.stop(docker);
                        await compose.removeVolumes(docker);
                    });
                }
                catch (err) {
                    failures.push(`docker compose down failed, so no file was deleted (containers may still be writing): ${(0,errors/* errorMessage */.gJ)(err)}`);
                }
            }
            // Strategy move: which targets go whole (after the stack is down: nothing writes into them).
            let decisions = [];
            if (settings.strategy === 'move' && !deps.pass && failures.length === 0 && !cancelled()) {
                decisions = await phase('Move: which targets go whole', async () => {
                    const d = decideMoves(rootDir, root.path, plan, policy, { keepRunning: settings.keepRunning, services: settings.services, removeTargetDirs: settings.removeTargetDirs, checks });
                    for (const m of d.decisions)
                        log.info(m.move ? `${m.path}: ${settings.dryRun ? 'would move' : 'moves'} into the trash in one rename` : `${m.path}: purged in place: ${m.why}`);
                    for (const w of d.warnings) {
                        log.warning(w);
                        warnings.push(w);
                    }
                    return d.decisions;
                });
            }
            const movable = new Set(decisions.filter((d) => d.move).map((d) => d.path));
            if (settings.dryRun)
                trash.moved = [...movable];
            trash.inPlace = decisions.filter((d) => !d.move).map((d) => ({ path: d.path, why: d.why ?? '' }));
            // Taken after the stack is down: what a container does to protected files while it shuts
            // down (a database's pid file, a checkpoint) is not the purge's doing. It reads inside the
            // targets too (by d_type), but not where nothing protected can be: not in a dry run (it
            // changes nothing), not in a target that moves (just looked through; what appears later is
            // found by the trash purge), not in one the native helper's look finds nothing in.
            const skip = settings.dryRun ? new Set(targets) : deps.pass ? movable : nothingToFingerprintIn(rootDir, plan, policy, movable);
            const before = await phase('Fingerprint protected paths', async () => takeFingerprint(rootDir, policy, skip));
            let outcome = null;
            let reclaimed = null;
            let free = 0;
            if (!settings.dryRun && failures.length === 0 && !cancelled()) {
                outcome = await phase(PHASE_PURGE, async () => {
                    free = (0,space/* freeBytes */.g)(rootDir);
                    let into = null;
                    if (movable.size > 0) {
                        try {
                            into = startTrash(rootDir, root, plan, policy, movable, deps.beforeMove);
                            trash.run = into.manifest.run;
                        }
                        catch (err) {
                            // No trash, no move: those targets are purged in place (still judged entry by entry).
                            const w = `the trash could not be made (${(0,errors/* errorMessage */.gJ)(err)}): every target is purged in place`;
                            log.warning(w);
                            warnings.push(w);
                            for (const path of movable)
                                trash.inPlace.push({ path, why: `not moved: the trash could not be made (${(0,errors/* errorMessage */.gJ)(err)})` });
                        }
                    }
                    // After the stack is down: what still holds a file open keeps running while we purge.
                    // (Targets that move were looked at for that already: with nothing purged in place, no scan.)
                    const dest = into;
                    const inPlace = plan.targets.some((t) => t.status === 'present' && (dest === null || !movable.has(t.path)));
                    const held = inPlace ? HeldFiles.scan([rootDir.dev], mapsReliableAt(root.path)) : HeldFiles.none();
                    if (held.uninspected.count > 0) {
                        const w = `${held.uninspected.count} process(es) of other users could not be inspected (run as root to see them): a file they hold open is unlinked, not truncated, and its space comes back only when they close it`;
                        log.warning(w);
                        warnings.push(w);
                    }
                    try {
                        const mover = dest === null ? undefined : (top, out) => (0,execute_trash/* moveToTrash */.F0)(dest, top, out, !settings.removeTargetDirs);
                        return await (0,execute/* executePlan */.vY)(rootDir, plan, policy, { hooks: deps.executeHooks, signal: deps.signal, onProgress: deps.onProgress, held, movable, mover });
                    }
                    finally {
                        dest?.runDir.close();
                        for (const [path, why] of dest?.notes ?? [])
                            trash.inPlace.push({ path, why: `not moved: ${why}` });
                    }
                });
                trash.moved = outcome.targets.filter((t) => t.result === 'moved').map((t) => t.path);
                if (trash.run !== null && trash.moved.length === 0) {
                    (0,execute_trash/* discardEmptyRun */.x$)(rootDir, trash.run);
                    trash.run = null;
                }
                // Handed over at once: a failure after this point must not leave the trash unclaimed.
                if (trash.run !== null && settings.trash === 'later' && !cancelled()) {
                    trash.handedOff = handTrashOff(rootDir, root.path, trash.run, deps.handOff, (w) => {
                        log.warning(w);
                        warnings.push(w);
                    });
                }
            }
            const privileged = { availability, firstPass: [], ran: null, notes: [] };
            if (outcome !== null && !asRoot && outcome.errors.some(escalatable)) {
                const step = { settings, names, root, rootDir, policy, before, exact: prep.exact, escalator, phase, log, signal: deps.signal };
                await privilegedPass(step, outcome, privileged, failures, cancelled());
            }
            if (outcome !== null)
                reclaimed = (0,space/* freeBytes */.g)(rootDir) - free;
            if (cancelled()) {
                const what = outcome
                    ? 'cancelled during the purge: stopped at a safe point; what was not reached is still there'
                    : dockerActed
                        ? 'cancelled after the stack was stopped, before any file was deleted'
                        : 'cancelled before anything was changed';
                failures.push(what);
                log.warning(what);
            }
            const verification = await phase('Verify', async () => {
                const v = await verifyProtected(rootDir, policy, before, plan, outcome, settings.dryRun, skip);
                await compose.verify(docker);
                return v;
            });
            deps.onOutcome?.(outcome);
            // After the proof: a service that starts writes into its targets and protected paths again.
            // Also after a cancel: the services were running before, and a reset must not leave them down.
            if (docker.services && docker.stopped)
                await phase(PHASE_DOCKER_START, async () => compose.restart(docker));
            // The targets are clean and proved so; what they held is deleted now, or after the job's
            // later steps (the action's post step, the CLI's background process).
            if (trash.run !== null && settings.trash === 'now' && !cancelled()) {
                const run = trash.run;
                trash.purge = await phase(PHASE_TRASH, async () => (0,trash_purge/* deleteTrash */.EZ)(rootDir, run, (0,engine_trash/* claimFor */.sI)('now', deps.env), policy, { signal: deps.signal, onProgress: deps.onProgress }));
                if (trash.purge !== null) {
                    late.push(...trash.purge.failures);
                    // What the filesystem gained counts the trash's deletion too.
                    if (reclaimed !== null && trash.purge.space.reclaimedBytes !== null)
                        reclaimed += trash.purge.space.reclaimedBytes;
                }
            }
            const report = (0,engine_report/* buildReport */.FK)({ settings, root, plan, outcome, before, verification, docker, warnings, failures: [...failures, ...late], cancelled: cancelled(), timings, started, finished: now(), reclaimed, privileged, trash });
            await log.group('Result', async () => {
                for (const line of planLines(report.targets))
                    log.info(line);
                for (const line of resultLines(report))
                    log.info(line);
            });
            return report;
        }
        finally {
            release();
        }
    }
    finally {
        rootDir.close();
        (0,fs_anchor/* leaveCwd */.Mm)();
    }
}
/** Creates this run's trash directory and manifest (every movable target named before any moves). */
function startTrash(rootDir, root, plan, policy, movable, beforeRename) {
    const trashDir = (0,engine_trash/* openTrash */.X$)(rootDir, true); // made if missing: never null
    try {
        const manifest = {
            tool: 'safe-purge-trash', version: 1, run: (0,engine_trash/* newRunId */.F$)(), createdAt: new Date().toISOString(), host: external_node_os_default().hostname(),
            root: { dev: root.dev, ino: root.ino },
            targets: plan.targets.filter((t) => movable.has(t.path)).map((t, i) => ({ name: String(i), path: t.path })),
            protected: [...policy.extra], exact: [...policy.exact]
        };
        return { runDir: (0,engine_trash/* createRun */.ut)(trashDir, manifest), manifest, notes: new Map(), beforeRename };
    }
    finally {
        trashDir.close();
    }
}


/***/ }),

/***/ 4441:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   B4: () => (/* binding */ rootConfigFile),
/* harmony export */   E6: () => (/* binding */ buildSettings),
/* harmony export */   F_: () => (/* binding */ refuseBlank),
/* harmony export */   WQ: () => (/* binding */ OPTION_KINDS),
/* harmony export */   Wp: () => (/* binding */ parsePrivilegedMode),
/* harmony export */   YX: () => (/* binding */ parseTrashTiming),
/* harmony export */   ZY: () => (/* binding */ parseOption),
/* harmony export */   fL: () => (/* binding */ parseSeconds),
/* harmony export */   pw: () => (/* binding */ parseStrategy),
/* harmony export */   q9: () => (/* binding */ DEFAULT_EPHEMERAL),
/* harmony export */   vk: () => (/* binding */ parseDockerMode),
/* harmony export */   yG: () => (/* binding */ parseBoolean)
/* harmony export */ });
/* unused harmony exports DEFAULT_PRIVILEGED_IMAGE, DEFAULTS, parseImage, splitLines */
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _common_errors_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(1922);
/**
 * The typed, read-only settings every entry point produces. Sources, highest first:
 * the action's inputs (or CLI flags), the config file (`.safe-purge.yml`), the defaults below.
 */


const OPTION_KINDS = {
    'dry-run': 'boolean',
    force: 'boolean',
    confirm: 'string',
    full: 'boolean',
    ephemeral: 'list',
    protected: 'list',
    docker: 'docker',
    'compose-file': 'list',
    'compose-project': 'string',
    'protected-volumes': 'list',
    'docker-host': 'string',
    'docker-timeout': 'seconds',
    'keep-running': 'boolean',
    services: 'list',
    'remove-target-dirs': 'boolean',
    privileged: 'privileged',
    'privileged-image': 'string',
    strategy: 'strategy',
    trash: 'trash'
};
/**
 * The container pass's default image: Node 24 (the action's own runtime), official, Debian
 * bookworm (glibc, so the bundled native helper loads), slim (no compiler, no shell tools needed).
 * It must be present on the runner or pullable; `privileged-image` names another.
 */
const DEFAULT_PRIVILEGED_IMAGE = 'node:24-bookworm-slim';
const DEFAULT_EPHEMERAL = ['logs', 'data/redis', 'data/temp', '.docker-compose-state'];
const DEFAULTS = {
    'dry-run': false,
    force: false,
    confirm: '',
    full: false,
    ephemeral: [...DEFAULT_EPHEMERAL],
    protected: [],
    docker: 'auto',
    'compose-file': [],
    'compose-project': '',
    'protected-volumes': [],
    'docker-host': '',
    'docker-timeout': 120,
    'keep-running': false,
    services: [],
    'remove-target-dirs': false,
    privileged: 'auto',
    'privileged-image': DEFAULT_PRIVILEGED_IMAGE,
    strategy: 'purge',
    trash: 'later'
};
/**
 * Options whose default reaches further than any value given to them (the defaults purge or stop
 * more), or that name something a blank cannot (an image).
 */
const WIDENED_WHEN_BLANK = new Set(['ephemeral', 'compose-file', 'compose-project', 'privileged-image']);
/** A value that is only whitespace (an unset variable, most often) is refused for those options. */
function refuseBlank(key, what) {
    if (WIDENED_WHEN_BLANK.has(key)) {
        throw (0,_common_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .fail */ .fJ)('ERR_BLANK_INPUT', `${what} is blank (only whitespace, often an unset variable): give a value, or leave it out to use the default`);
    }
}
/** YAML 1.2 core-schema booleans only: anything else is an error naming `what`. */
function parseBoolean(value, what) {
    if (/^(true|True|TRUE)$/.test(value))
        return true;
    if (/^(false|False|FALSE)$/.test(value))
        return false;
    throw (0,_common_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .fail */ .fJ)('ERR_BAD_BOOLEAN', `${what} must be true or false (YAML 1.2 spelling), got ${JSON.stringify(value)}`);
}
function parseDockerMode(value, what) {
    if (value === 'auto' || value === 'required' || value === 'off')
        return value;
    throw (0,_common_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .fail */ .fJ)('ERR_BAD_DOCKER_MODE', `${what} must be auto, required or off, got ${JSON.stringify(value)}`);
}
function parsePrivilegedMode(value, what) {
    if (value === 'auto' || value === 'sudo' || value === 'container' || value === 'off')
        return value;
    throw (0,_common_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .fail */ .fJ)('ERR_BAD_PRIVILEGED_MODE', `${what} must be auto, sudo, container or off, got ${JSON.stringify(value)}`);
}
function parseStrategy(value, what) {
    if (value === 'purge' || value === 'move')
        return value;
    throw (0,_common_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .fail */ .fJ)('ERR_BAD_STRATEGY', `${what} must be purge or move, got ${JSON.stringify(value)}`);
}
function parseTrashTiming(value, what) {
    if (value === 'later' || value === 'now')
        return value;
    throw (0,_common_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .fail */ .fJ)('ERR_BAD_TRASH', `${what} must be later or now, got ${JSON.stringify(value)}`);
}
function parseSeconds(value, what) {
    const n = Number(value);
    if (!/^\d+(\.\d+)?$/.test(value.trim()) || !(n > 0) || n > 86400) {
        throw (0,_common_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .fail */ .fJ)('ERR_BAD_TIMEOUT', `${what} must be a number of seconds greater than 0 and at most 86400 (a day), got ${JSON.stringify(value)}`);
    }
    return n;
}
/**
 * An image reference as docker takes it (name[:tag][@digest]): never a leading dash (docker would
 * read it as a flag), no spaces or control characters.
 */
function parseImage(value, what) {
    const v = value.trim();
    if (!/^[A-Za-z0-9][A-Za-z0-9._\-/:@]{0,511}$/.test(v)) {
        throw (0,_common_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .fail */ .fJ)('ERR_BAD_IMAGE', `${what} must be an image reference such as node:24-bookworm-slim (letters, digits, . _ - / : @; no leading dash), got ${JSON.stringify(value)}`);
    }
    return v;
}
/** Parses one raw string the way its key expects (multiline strings become lists). */
function parseOption(key, raw, what) {
    const kind = OPTION_KINDS[key];
    const value = kind === 'boolean' ? parseBoolean(raw.trim(), what)
        : kind === 'docker' ? parseDockerMode(raw.trim(), what)
            : kind === 'privileged' ? parsePrivilegedMode(raw.trim(), what)
                : kind === 'strategy' ? parseStrategy(raw.trim(), what)
                    : kind === 'trash' ? parseTrashTiming(raw.trim(), what)
                        : kind === 'seconds' ? parseSeconds(raw, what)
                            : kind === 'list' ? splitLines(raw)
                                : key === 'privileged-image' ? parseImage(raw, what)
                                    : raw.trim();
    return value;
}
/** One entry per line; blank lines only separate. Entries keep inner spaces. */
function splitLines(raw) {
    return raw
        .split(/\r?\n/)
        .map((l) => l.trim())
        .filter((l) => l !== '');
}
/** The config file when it is one of this root's files (protected, a sign of an environment); null when none, or named outside. */
function rootConfigFile(settings) {
    return settings.configFile !== null && !node_path__WEBPACK_IMPORTED_MODULE_0___default().isAbsolute(settings.configFile) ? settings.configFile : null;
}
/** Merges sources (first wins) over the defaults into Settings. */
function buildSettings(root, configFile, ...sources) {
    const pick = (key) => {
        for (const s of sources) {
            const v = s[key];
            if (v !== undefined)
                return v;
        }
        return DEFAULTS[key];
    };
    // Protection only ever adds up: a higher source can never drop a lower source's patterns.
    const union = (key) => [...new Set(sources.flatMap((s) => s[key] ?? []))];
    return {
        root,
        dryRun: pick('dry-run'),
        force: pick('force'),
        confirm: pick('confirm'),
        full: pick('full'),
        ephemeral: pick('ephemeral'),
        protected: union('protected'),
        configFile,
        docker: pick('docker'),
        composeFiles: pick('compose-file'),
        composeProject: pick('compose-project'),
        protectedVolumes: union('protected-volumes'),
        dockerHost: pick('docker-host'),
        dockerTimeout: pick('docker-timeout'),
        keepRunning: pick('keep-running'),
        services: pick('services'),
        removeTargetDirs: pick('remove-target-dirs'),
        privileged: pick('privileged'),
        privilegedImage: pick('privileged-image'),
        strategy: pick('strategy'),
        trash: pick('trash')
    };
}


/***/ }),

/***/ 3708:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Bz: () => (/* binding */ closestPath),
/* harmony export */   kp: () => (/* binding */ closest)
/* harmony export */ });
/* unused harmony export editDistance */
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_1__);
/**
 * "Did you mean ...?" for what a person typed: the closest existing path for a target that does
 * not exist, the closest known word for an unknown one. Read-only: it lists directories, nothing more.
 */


/** Edit distance counting an adjacent swap as one edit (optimal string alignment). */
function editDistance(a, b) {
    const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array(b.length).fill(0)]);
    for (let j = 1; j <= b.length; j++)
        d[0][j] = j;
    for (let i = 1; i <= a.length; i++) {
        for (let j = 1; j <= b.length; j++) {
            const cost = a[i - 1] === b[j - 1] ? 0 : 1;
            d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
            if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
                d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
    }
    return d[a.length][b.length];
}
/** The candidate closest to `word`, when it is close enough to be a typo of it (or differs only in case). */
function closest(word, candidates) {
    const limit = Math.max(1, Math.floor(word.length / 3));
    let best = null;
    let bestDistance = Infinity;
    for (const c of candidates) {
        const dist = c.toLowerCase() === word.toLowerCase() ? 0.5 : editDistance(word, c);
        if (dist <= limit && dist < bestDistance) {
            best = c;
            bestDistance = dist;
        }
    }
    return best;
}
/**
 * For a root-relative path that does not exist: the existing path it most likely meant, segment
 * by segment from the root (`data/redsi` -> `data/redis`), or null.
 */
function closestPath(root, rel) {
    const out = [];
    let changed = false;
    for (const seg of rel.split('/')) {
        let names;
        try {
            names = node_fs__WEBPACK_IMPORTED_MODULE_0___default().readdirSync(node_path__WEBPACK_IMPORTED_MODULE_1___default().join(root, ...out));
        }
        catch {
            return null;
        }
        if (names.includes(seg)) {
            out.push(seg);
            continue;
        }
        const near = closest(seg, names);
        if (near === null)
            return null;
        out.push(near);
        changed = true;
    }
    return changed ? out.join('/') : null;
}


/***/ }),

/***/ 6462:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   EZ: () => (/* binding */ deleteTrash),
/* harmony export */   kZ: () => (/* binding */ purgeLeftovers),
/* harmony export */   q8: () => (/* binding */ leftoverRuns),
/* harmony export */   sp: () => (/* binding */ deleteRootTrash)
/* harmony export */ });
/* unused harmony exports unionPolicy, rootTrashStatus */
/* harmony import */ var _fs_anchor_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1262);
/* harmony import */ var _fs_space_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(4001);
/* harmony import */ var _fs_root_guard_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(9599);
/* harmony import */ var _policy_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(7542);
/* harmony import */ var _execute_trash_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(418);
/* harmony import */ var _execute_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(3945);
/* harmony import */ var _plan_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(2878);
/* harmony import */ var _trash_js__WEBPACK_IMPORTED_MODULE_7__ = __webpack_require__(6924);
/* harmony import */ var _report_js__WEBPACK_IMPORTED_MODULE_8__ = __webpack_require__(594);
/* harmony import */ var _common_errors_js__WEBPACK_IMPORTED_MODULE_9__ = __webpack_require__(1922);
/**
 * Deleting the trash, as the engine's callers need it: one run's trash (the action's post step,
 * the CLI's background process, `trash: now`), the trashes earlier runs left behind (killed,
 * cancelled: the next run deletes them before anything else), and what `--status` shows. Each
 * deletion claims its run first (trash.ts), is measured (files, bytes, what the filesystem
 * gained) and leaves a report next to the run directories. A deletion that could not remove or
 * put back everything renames the run `<run>.kept`, for a person to check: later runs warn of it
 * instead of failing on it again and again.
 */










/** The caller's policy with the patterns and exact files of the run that made the trash: both protect. */
function unionPolicy(policy) {
    return (m) => (0,_policy_js__WEBPACK_IMPORTED_MODULE_3__/* .createPolicy */ .BV)([...(policy?.extra ?? []), ...m.protected], [...(policy?.exact ?? []), ...m.exact]);
}
/**
 * Claims (for `me`) and deletes run `run` of the root's trash; null when a standing claim holds
 * it, or it is gone (a later run deleted it). Writes the report into the trash.
 */
async function deleteTrash(rootDir, run, me, policy, opts = {}) {
    const started = new Date();
    const failed = (why) => reportOf(run, me.role, started, emptyPurge(run, [`trash ${run}: ${why}`]), null);
    let trash;
    try {
        trash = (0,_trash_js__WEBPACK_IMPORTED_MODULE_7__/* .openTrash */ .X$)(rootDir, false);
    }
    catch (err) {
        return failed((0,_common_errors_js__WEBPACK_IMPORTED_MODULE_9__/* .errorMessage */ .gJ)(err));
    }
    if (trash === null)
        return null;
    try {
        let runDir;
        try {
            runDir = trash.openChild(Buffer.from(run));
        }
        catch (err) {
            if (err.code === 'ENOENT')
                return null;
            return failed(`cannot be opened: ${(0,_common_errors_js__WEBPACK_IMPORTED_MODULE_9__/* .errorMessage */ .gJ)(err)}`);
        }
        try {
            (0,_trash_js__WEBPACK_IMPORTED_MODULE_7__/* .refuseForeign */ .re)(runDir, `${_trash_js__WEBPACK_IMPORTED_MODULE_7__/* .TRASH_DIR */ .dI}/${run}`);
            if ((0,_trash_js__WEBPACK_IMPORTED_MODULE_7__/* .claimRun */ .S6)(runDir, me) === 'busy')
                return null;
        }
        catch (err) {
            return failed((0,_common_errors_js__WEBPACK_IMPORTED_MODULE_9__/* .errorMessage */ .gJ)(err));
        }
        finally {
            runDir.close();
        }
        const free = (0,_fs_space_js__WEBPACK_IMPORTED_MODULE_1__/* .freeBytes */ .g)(rootDir);
        let purge;
        try {
            purge = await (0,_execute_trash_js__WEBPACK_IMPORTED_MODULE_4__/* .purgeTrashRun */ .pr)(rootDir, trash, run, unionPolicy(policy), opts);
        }
        catch (err) {
            purge = emptyPurge(run, [`trash ${run}: ${(0,_common_errors_js__WEBPACK_IMPORTED_MODULE_9__/* .errorMessage */ .gJ)(err)}`]);
        }
        if (!purge.done && !purge.cancelled) {
            const kept = (0,_execute_trash_js__WEBPACK_IMPORTED_MODULE_4__/* .quarantine */ .tW)(trash, run);
            purge.failures.push(kept ? `what could not be deleted or put back stays in ${_trash_js__WEBPACK_IMPORTED_MODULE_7__/* .TRASH_DIR */ .dI}/${run}.kept: check it, then delete it by hand` : `${_trash_js__WEBPACK_IMPORTED_MODULE_7__/* .TRASH_DIR */ .dI}/${run} could not be set aside as ${run}.kept`);
        }
        const report = reportOf(run, me.role, started, purge, (0,_fs_space_js__WEBPACK_IMPORTED_MODULE_1__/* .freeBytes */ .g)(rootDir) - free);
        try {
            (0,_trash_js__WEBPACK_IMPORTED_MODULE_7__/* .writeResult */ .Zk)(trash, run, report);
            for (const old of (0,_trash_js__WEBPACK_IMPORTED_MODULE_7__/* .oldResults */ .YF)(trash))
                (0,_fs_anchor_js__WEBPACK_IMPORTED_MODULE_0__/* .unlinkAt */ .H_)(trash, old);
        }
        catch {
            // The report is also the caller's to show: a trash it cannot write into is no failure of the purge.
        }
        return report;
    }
    finally {
        trash.close();
    }
}
function emptyPurge(run, failures) {
    return { run, targets: [], totals: { ...(0,_plan_js__WEBPACK_IMPORTED_MODULE_6__/* .emptyTally */ .CK)(), ...(0,_plan_js__WEBPACK_IMPORTED_MODULE_6__/* .emptyHeldTally */ .VW)() }, restored: [], left: [], errors: [], failures, done: false, cancelled: false };
}
function reportOf(run, role, started, purge, reclaimed) {
    const finished = new Date();
    const totals = { ...(0,_plan_js__WEBPACK_IMPORTED_MODULE_6__/* .emptyTally */ .CK)(), ...(0,_plan_js__WEBPACK_IMPORTED_MODULE_6__/* .emptyHeldTally */ .VW)() };
    for (const t of purge.targets.length > 0 ? purge.targets : [(0,_execute_js__WEBPACK_IMPORTED_MODULE_5__/* .emptyOutcome */ .we)('')])
        (0,_plan_js__WEBPACK_IMPORTED_MODULE_6__/* .addTally */ .c8)(totals, t);
    return {
        tool: 'safe-purge', version: _report_js__WEBPACK_IMPORTED_MODULE_8__/* .VERSION */ .xv, kind: 'trash', run, role, ok: purge.failures.length === 0 && purge.done, done: purge.done,
        startedAt: started.toISOString(), finishedAt: finished.toISOString(), durationMs: finished.getTime() - started.getTime(),
        targets: purge.targets.map((t) => ({ path: t.path, files: t.files, bytes: t.bytes, dirs: t.dirs, others: t.others, errors: t.errors.length })),
        totals: { files: totals.files, bytes: totals.bytes, dirs: totals.dirs, others: totals.others },
        space: { freedBytes: totals.bytes, reclaimedBytes: reclaimed },
        restored: purge.restored, left: purge.left,
        errors: purge.errors.slice(0, 200).map((e) => ({ path: e.path, code: e.code, message: e.message })),
        failures: purge.failures.length === 0 && !purge.done && !purge.cancelled ? [`trash ${run}: not everything in it could be deleted`] : purge.failures,
        cancelled: purge.cancelled
    };
}
/** Each run directory of the trash: whether a standing claim holds it (a deletion running, or a post step to come). */
function runStates(trash) {
    const out = [];
    for (const run of (0,_trash_js__WEBPACK_IMPORTED_MODULE_7__/* .listRuns */ .v)(trash)) {
        let dir;
        try {
            dir = trash.openChild(Buffer.from(run));
        }
        catch {
            continue;
        }
        try {
            const worker = (0,_trash_js__WEBPACK_IMPORTED_MODULE_7__/* .workerOf */ .IY)(dir);
            out.push({ run, worker, held: worker !== null && (0,_trash_js__WEBPACK_IMPORTED_MODULE_7__/* .workerAlive */ .qK)(worker) });
        }
        finally {
            dir.close();
        }
    }
    return out;
}
/** Trash runs that no standing claim holds: left by a run that was killed or cancelled, or whose post step never ran. */
function leftoverRuns(rootDir) {
    const trash = (0,_trash_js__WEBPACK_IMPORTED_MODULE_7__/* .openTrash */ .X$)(rootDir, false);
    if (trash === null)
        return [];
    try {
        return runStates(trash).filter((s) => !s.held).map((s) => s.run);
    }
    finally {
        trash.close();
    }
}
/** Deletes every leftover trash (what `leftoverRuns` lists), oldest first, as `me`. */
async function purgeLeftovers(rootDir, runs, me, policy, opts = {}) {
    const out = [];
    for (const run of runs) {
        if (opts.signal?.aborted)
            break;
        const r = await deleteTrash(rootDir, run, me, policy, opts);
        if (r !== null)
            out.push(r);
    }
    return out;
}
function trashStatus(rootDir, root) {
    const status = { trash: `${root.path}/${TRASH_DIR}`, running: [], leftover: [], kept: [], finished: [] };
    const trash = openTrash(rootDir, false);
    if (trash === null)
        return status;
    try {
        for (const s of runStates(trash)) {
            if (s.held && s.worker !== null)
                status.running.push({ run: s.run, pid: s.worker.pid, since: s.worker.since, role: s.worker.role });
            else
                status.leftover.push(s.run);
        }
        status.kept = keptRuns(trash);
        status.finished = readResults(trash).map((r) => r.result);
    }
    finally {
        trash.close();
    }
    return status;
}
/** Runs `fn` on the root at `rootPath`, guarded and opened as any run's root. */
function atRoot(rootPath, env, names, fn) {
    const root = guardRoot(rootPath, defaultGuardEnv(env), names);
    const dir = openRoot(root);
    try {
        return fn(dir, root);
    }
    finally {
        dir.close();
        leaveCwd();
    }
}
/**
 * Deletes run `run` of the trash under `rootPath`, as `me`, with only the built-in patterns and
 * those the manifest recorded: the action's post step, the CLI's background process. Null when
 * there is nothing left to delete (a later run did) or a standing claim holds it.
 */
async function deleteRootTrash(rootPath, run, me, env, opts = {}) {
    if (!(0,_trash_js__WEBPACK_IMPORTED_MODULE_7__/* .isRunId */ .Pk)(run))
        throw (0,_common_errors_js__WEBPACK_IMPORTED_MODULE_9__/* .fail */ .fJ)('ERR_TRASH', `${JSON.stringify(run)} is not a trash run id`);
    const root = (0,_fs_root_guard_js__WEBPACK_IMPORTED_MODULE_2__/* .guardRoot */ .aT)(rootPath, (0,_fs_root_guard_js__WEBPACK_IMPORTED_MODULE_2__/* .defaultGuardEnv */ .A_)(env));
    const dir = (0,_fs_root_guard_js__WEBPACK_IMPORTED_MODULE_2__/* .openRoot */ .R8)(root);
    try {
        return await deleteTrash(dir, run, me, null, opts);
    }
    finally {
        dir.close();
        (0,_fs_anchor_js__WEBPACK_IMPORTED_MODULE_0__/* .leaveCwd */ .Mm)();
    }
}
/** --status: the root's trash, guarded as any root. */
function rootTrashStatus(rootPath, env, names) {
    return atRoot(rootPath, env, names, (dir, root) => trashStatus(dir, root));
}


/***/ }),

/***/ 6924:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   F$: () => (/* binding */ newRunId),
/* harmony export */   IY: () => (/* binding */ workerOf),
/* harmony export */   Pk: () => (/* binding */ isRunId),
/* harmony export */   QN: () => (/* binding */ isRunFile),
/* harmony export */   S6: () => (/* binding */ claimRun),
/* harmony export */   VW: () => (/* binding */ handOff),
/* harmony export */   WI: () => (/* binding */ readManifest),
/* harmony export */   X$: () => (/* binding */ openTrash),
/* harmony export */   YF: () => (/* binding */ oldResults),
/* harmony export */   Zk: () => (/* binding */ writeResult),
/* harmony export */   dI: () => (/* reexport safe */ _policy_js__WEBPACK_IMPORTED_MODULE_4__.dI),
/* harmony export */   qK: () => (/* binding */ workerAlive),
/* harmony export */   re: () => (/* binding */ refuseForeign),
/* harmony export */   rk: () => (/* binding */ keptRuns),
/* harmony export */   sI: () => (/* binding */ claimFor),
/* harmony export */   ut: () => (/* binding */ createRun),
/* harmony export */   v: () => (/* binding */ listRuns)
/* harmony export */ });
/* unused harmony exports REPORTS_KEPT, processStart, jobKey, readResults, writeNew */
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7598);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_crypto__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(8161);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_os__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var _common_errors_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(1922);
/* harmony import */ var _common_boot_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(6093);
/* harmony import */ var _policy_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(7542);
/* harmony import */ var _held_file_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(2182);
/**
 * The trash of strategy `move`: `.safe-purge-trash/` in the root, one directory per run
 * (`<run id>/`), holding the targets that run moved aside (renamed `0`, `1`, …) and a manifest
 * written before the first move that maps each name to the target's original path, so that the
 * trash purge judges every entry under the path it had (trash/<run>/0/x is logs/x) and a trash
 * left by a killed run can still be purged safely by the next one.
 *
 * Who deletes a run's trash claims it first (`worker.json`, created exclusively): the action's
 * post step, the CLI's background process, or a run with `trash: now`. A claim whose process is
 * gone (same boot, pid no longer alive or another process's) is stale. `<run id>.json` next to the
 * run directories is the report of its deletion, for `--status`.
 *
 * This module lays the trash out and reads it; the executor (execute-trash.ts) moves, deletes and
 * restores.
 */








const TRASH = Buffer.from(_policy_js__WEBPACK_IMPORTED_MODULE_4__/* .TRASH_DIR */ .dI);
const MANIFEST = 'manifest.json';
const WORKER = 'worker.json';
/** A run id: its creation time, pid and a random suffix (sorts by time). */
const RUN_RE = /^\d{8}T\d{6}Z-\d+-[0-9a-f]{6}$/;
/** How many reports of finished trash deletions are kept for --status. */
const REPORTS_KEPT = 5;
function newRunId(now = new Date()) {
    const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
    return `${stamp}-${process.pid}-${node_crypto__WEBPACK_IMPORTED_MODULE_0___default().randomBytes(3).toString('hex')}`;
}
function isRunId(name) {
    return RUN_RE.test(name);
}
/**
 * The trash directory, opened without following a link and checked to be a directory on the
 * root's mount, this user's own and writable by nobody else (what it holds is renamed back into
 * the root); created (0700) when `create`. Null when it does not exist (and is not created).
 */
function openTrash(rootDir, create) {
    if (create) {
        try {
            node_fs__WEBPACK_IMPORTED_MODULE_1___default().mkdirSync(rootDir.child(TRASH), 0o700);
        }
        catch (err) {
            if (err.code !== 'EEXIST')
                throw err;
        }
    }
    let dir;
    try {
        dir = rootDir.openChild(TRASH);
    }
    catch (err) {
        const code = err.code;
        if (code === 'ENOENT')
            return null;
        if (code === 'ENOTDIR' || code === 'ELOOP')
            throw (0,_common_errors_js__WEBPACK_IMPORTED_MODULE_6__/* .fail */ .fJ)('ERR_TRASH', `${_policy_js__WEBPACK_IMPORTED_MODULE_4__/* .TRASH_DIR */ .dI} in the root is a link or not a directory: remove it (safe-purge's trash is a directory of its own)`);
        throw (0,_common_errors_js__WEBPACK_IMPORTED_MODULE_6__/* .fail */ .fJ)('ERR_TRASH', `${_policy_js__WEBPACK_IMPORTED_MODULE_4__/* .TRASH_DIR */ .dI} in the root cannot be opened (${code}): remove it, or run as its owner`);
    }
    try {
        if (!rootDir.sameMount(dir))
            throw (0,_common_errors_js__WEBPACK_IMPORTED_MODULE_6__/* .fail */ .fJ)('ERR_TRASH', `${_policy_js__WEBPACK_IMPORTED_MODULE_4__/* .TRASH_DIR */ .dI} is a mount point: a move into it would cross filesystems; unmount it`);
        refuseForeign(dir, _policy_js__WEBPACK_IMPORTED_MODULE_4__/* .TRASH_DIR */ .dI);
        return dir;
    }
    catch (err) {
        dir.close();
        throw err;
    }
}
/** A trash directory (or a run's) that another user owns or may write into is never trusted. */
function refuseForeign(dir, shown) {
    const st = node_fs__WEBPACK_IMPORTED_MODULE_1___default().fstatSync(dir.fd);
    const me = process.geteuid?.() ?? st.uid;
    if (st.uid !== me || (st.mode & 0o022) !== 0) {
        throw (0,_common_errors_js__WEBPACK_IMPORTED_MODULE_6__/* .fail */ .fJ)('ERR_TRASH', `${shown} is owned by uid ${st.uid} with mode ${(st.mode & 0o7777).toString(8)}, not this user's (uid ${me}) alone: what it holds cannot be trusted back into the root; check it and remove it by hand`);
    }
}
/** Creates the run's directory (0700) and writes its manifest, before anything is moved into it. */
function createRun(trash, manifest) {
    const name = Buffer.from(manifest.run);
    node_fs__WEBPACK_IMPORTED_MODULE_1___default().mkdirSync(trash.child(name), 0o700);
    let dir = null;
    try {
        dir = trash.openChild(name);
        writeNew(dir, MANIFEST, JSON.stringify(manifest));
        return dir;
    }
    catch (err) {
        // Nothing was moved yet: no trash is left without its manifest.
        try {
            if (dir !== null)
                node_fs__WEBPACK_IMPORTED_MODULE_1___default().unlinkSync(dir.child(Buffer.from(MANIFEST)));
        }
        catch {
            // not written
        }
        dir?.close();
        try {
            node_fs__WEBPACK_IMPORTED_MODULE_1___default().rmdirSync(trash.child(name));
        }
        catch {
            // the next run finds it
        }
        throw err;
    }
}
function readManifest(runDir) {
    const m = readJson(runDir, MANIFEST);
    if (m === null || m.tool !== 'safe-purge-trash' || !Array.isArray(m.targets))
        return null;
    const ok = m.targets.every((t) => typeof t?.name === 'string' && /^\d+$/.test(t.name) && typeof t.path === 'string' && t.path !== '' && !t.path.startsWith('/') && !t.path.split('/').includes('..'));
    return ok && Array.isArray(m.protected) && Array.isArray(m.exact) ? m : null;
}
/** The run directories in the trash, oldest first. */
function listRuns(trash) {
    const names = [];
    for (const d of node_fs__WEBPACK_IMPORTED_MODULE_1___default().readdirSync(trash.listPath(), { withFileTypes: true })) {
        if (d.isDirectory() && isRunId(d.name))
            names.push(d.name);
    }
    return names.sort();
}
/** A process's start time (clock ticks after boot), or null when it is gone or a zombie (it runs no more). */
function processStart(pid) {
    try {
        const stat = node_fs__WEBPACK_IMPORTED_MODULE_1___default().readFileSync(`/proc/${pid}/stat`, 'utf8');
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        return fields[0] === 'Z' || fields[0] === 'X' ? null : (fields[19] ?? null);
    }
    catch {
        return null;
    }
}
/** The GitHub job this process runs in ('' outside Actions): a post step belongs to its job. */
function jobKey(env) {
    return env.GITHUB_RUN_ID ? `${env.GITHUB_RUN_ID}/${env.GITHUB_RUN_ATTEMPT ?? ''}/${env.GITHUB_JOB ?? ''}` : '';
}
/** A claim for process `pid` (this one by default) in role `role`. */
function claimFor(role, env, pid = process.pid) {
    return { pid, start: processStart(pid), boot: (0,_common_boot_js__WEBPACK_IMPORTED_MODULE_3__/* .bootId */ .a)(), host: node_os__WEBPACK_IMPORTED_MODULE_2___default().hostname(), since: new Date().toISOString(), role, job: jobKey(env) };
}
function readClaim(runDir) {
    const held = (0,_held_file_js__WEBPACK_IMPORTED_MODULE_5__/* .readHeld */ .iJ)(runDir, WORKER);
    if (typeof held === 'string')
        return held;
    try {
        const w = JSON.parse(held.text);
        return typeof w.pid === 'number' && typeof w.role === 'string' ? { w, ino: held.ino, text: held.text } : 'unreadable';
    }
    catch {
        return 'unreadable';
    }
}
function workerOf(runDir) {
    const c = readClaim(runDir);
    return typeof c === 'string' ? null : c.w;
}
/**
 * Whether a claim still stands: a trash handed to the post step of a job stands for the runs of
 * that same job (the post step deletes it at the job's end); every claim while its process runs
 * (same boot, same pid and start time: a reused pid is not it), a post step deleting included.
 */
function workerAlive(w, env = process.env) {
    // A main step's hand-off to its post step stands for its own job; any claim, while its process runs.
    if (w.role === 'post' && w.job !== '' && w.job === jobKey(env))
        return true;
    if (w.boot !== null && (0,_common_boot_js__WEBPACK_IMPORTED_MODULE_3__/* .bootId */ .a)() !== null && w.boot !== (0,_common_boot_js__WEBPACK_IMPORTED_MODULE_3__/* .bootId */ .a)())
        return false;
    const start = processStart(w.pid);
    return start !== null && (w.start === null || start === w.start);
}
/**
 * Claims the run's trash for `me`: 'claimed', or 'busy' when a claim that stands holds it. A stale
 * claim (its process gone, or a post step's from another job) is replaced, only while it is
 * still the very file that was read; a claim handed to this process (its pid, or the post step
 * of this job) is taken over.
 */
function claimRun(runDir, me) {
    for (let attempt = 0; attempt < 3; attempt++) {
        if ((0,_held_file_js__WEBPACK_IMPORTED_MODULE_5__/* .createComplete */ .md)(runDir, WORKER, JSON.stringify(me)))
            return 'claimed';
        const held = readClaim(runDir);
        if (held === 'missing')
            continue;
        if (held === 'unreadable') {
            // Claims are written whole: one that cannot be read was damaged; after a minute it is stale.
            if (!staleUnreadable(runDir))
                return 'busy';
            continue;
        }
        const w = held.w;
        if (w.pid === me.pid && (w.start === null || w.start === me.start))
            return 'claimed';
        // The main step's hand-off (its process gone) is this job's post step's to take over.
        const handedToMe = w.role === 'post' && me.role === 'post' && w.job === me.job && processStart(w.pid) !== w.start;
        if (!handedToMe && workerAlive(w))
            return 'busy';
        (0,_held_file_js__WEBPACK_IMPORTED_MODULE_5__/* .unlinkIfSame */ .Lc)(runDir, WORKER, held.ino, held.text);
    }
    return 'busy';
}
/** An unreadable claim older than a minute is removed (true); a younger one stands. */
function staleUnreadable(runDir) {
    try {
        const st = node_fs__WEBPACK_IMPORTED_MODULE_1___default().lstatSync(runDir.child(Buffer.from(WORKER)));
        if (Date.now() - st.mtimeMs < 60_000)
            return false;
        (0,_held_file_js__WEBPACK_IMPORTED_MODULE_5__/* .unlinkIfSame */ .Lc)(runDir, WORKER, st.ino);
        return true;
    }
    catch {
        return true;
    }
}
/** Hands this run's trash to the process that will delete it (the post step, a background process). */
function handOff(rootDir, run, to) {
    const trash = openTrash(rootDir, false);
    if (trash === null)
        return;
    try {
        const dir = trash.openChild(Buffer.from(run));
        try {
            (0,_held_file_js__WEBPACK_IMPORTED_MODULE_5__/* .createComplete */ .md)(dir, WORKER, JSON.stringify(to));
        }
        finally {
            dir.close();
        }
    }
    finally {
        trash.close();
    }
}
/** Run directories renamed `<run>.kept`: what their deletion could not remove or put back, kept for a person to check. */
function keptRuns(trash) {
    return node_fs__WEBPACK_IMPORTED_MODULE_1___default().readdirSync(trash.listPath()).filter((n) => n.endsWith('.kept') && isRunId(n.slice(0, -5))).sort();
}
/** The report of a finished trash deletion, next to the run directories (the newest REPORTS_KEPT stay). */
function writeResult(trash, run, result) {
    const name = `${run}.json`;
    const tmp = `${name}.${process.pid}.${node_crypto__WEBPACK_IMPORTED_MODULE_0___default().randomBytes(3).toString('hex')}.tmp`;
    writeNew(trash, tmp, JSON.stringify(result, null, 2));
    node_fs__WEBPACK_IMPORTED_MODULE_1___default().renameSync(trash.child(tmp), trash.child(name));
}
/** Reports of finished trash deletions, oldest first. */
function readResults(trash) {
    const out = [];
    for (const name of node_fs__WEBPACK_IMPORTED_MODULE_1___default().readdirSync(trash.listPath()).sort()) {
        const m = /^(.+)\.json$/.exec(name);
        if (!m || !isRunId(m[1]))
            continue;
        const r = readJson(trash, name);
        if (r !== null)
            out.push({ run: m[1], result: r });
    }
    return out;
}
/** Names of reports beyond the newest REPORTS_KEPT (the executor removes them). */
function oldResults(trash) {
    const names = readResults(trash).map((r) => `${r.run}.json`);
    return names.slice(0, Math.max(0, names.length - REPORTS_KEPT));
}
/** A file of the run's own (its manifest, its claim, a claim being written): never a moved target. */
function isRunFile(name) {
    return name === MANIFEST || name === WORKER || name.startsWith(`${WORKER}.`);
}
/** Creates `name` in `dir` (never through a link, never over an existing file) with `text`. */
function writeNew(dir, name, text) {
    const fd = node_fs__WEBPACK_IMPORTED_MODULE_1___default().openSync(dir.child(name), (node_fs__WEBPACK_IMPORTED_MODULE_1___default().constants).O_WRONLY | (node_fs__WEBPACK_IMPORTED_MODULE_1___default().constants).O_CREAT | (node_fs__WEBPACK_IMPORTED_MODULE_1___default().constants).O_EXCL | (node_fs__WEBPACK_IMPORTED_MODULE_1___default().constants).O_NOFOLLOW, 0o600);
    try {
        node_fs__WEBPACK_IMPORTED_MODULE_1___default().writeFileSync(fd, text);
    }
    finally {
        node_fs__WEBPACK_IMPORTED_MODULE_1___default().closeSync(fd);
    }
}
function readJson(dir, name) {
    const held = (0,_held_file_js__WEBPACK_IMPORTED_MODULE_5__/* .readHeld */ .iJ)(dir, name);
    if (typeof held === 'string')
        return null;
    try {
        return JSON.parse(held.text);
    }
    catch {
        return null;
    }
}


/***/ }),

/***/ 4721:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   L: () => (/* binding */ visitChildren),
/* harmony export */   Y: () => (/* binding */ visit)
/* harmony export */ });
/* harmony import */ var _pace_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(9987);
/* harmony import */ var _fs_lookup_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(7673);
/* harmony import */ var _fs_entries_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(4703);



/** Asynchronous leaf operations in flight per directory (a cold disk serves many at once). */
const MAX_IN_FLIGHT = 16;
/** Leaves handed to `Visitor.leaves` at once (one unlink batch on the thread pool). */
const LEAF_BATCH = 64;
/**
 * Visits `e` (and, for a directory, everything below it). Returns true when something stays.
 * `mount` is the directory whose mount the walk must stay on (the root). Once the pacer is
 * stopped, nothing more is touched and every unvisited entry stays.
 */
async function visit(e, mount, policy, v, pacer) {
    if (pacer.stopped)
        return true;
    if (policy.isProtectedChild(e.rel, e.kind === 'dir')) {
        v.keep(e, 'protected');
        return true;
    }
    if (e.kind !== 'dir')
        return v.leaf(e);
    const stays = await visitChildren(e, mount, policy, v, pacer);
    if (stays === 'mount-point')
        return true;
    return await v.leaveDir(e, stays || pacer.stopped);
}
/**
 * Visits the children of directory `e`, opened anchored and checked to be the node lstat saw.
 * A directory on another mount (another filesystem, or a bind mount) is kept, never entered.
 */
async function visitChildren(e, mount, policy, v, pacer) {
    if (e.st.dev !== mount.dev) {
        v.keep(e, 'mount-point');
        return 'mount-point';
    }
    let dirA;
    try {
        dirA = (0,_fs_lookup_js__WEBPACK_IMPORTED_MODULE_1__/* .openCheckedDir */ .H)(e.parent, e.name, e.st);
    }
    catch (err) {
        // Removed by someone else since its lstat: already gone, which is what a purge wants.
        if (err.code === 'ENOENT')
            return false;
        v.error(e.rel, err, e);
        return true;
    }
    if (!mount.sameMount(dirA)) {
        dirA.close();
        v.keep(e, 'mount-point');
        return 'mount-point';
    }
    let stays = false;
    // Leaves a visitor handles asynchronously (the executor's unlinks), at most MAX_IN_FLIGHT at a
    // time; all of them settle before this directory is left and its fd closed.
    const inFlight = new Set();
    const track = (p) => {
        const q = p.then((s) => {
            if (s)
                stays = true;
        }, (err) => {
            v.error(e.rel, err);
            stays = true;
        });
        inFlight.add(q);
        void q.finally(() => inFlight.delete(q));
    };
    // Leaves waiting to be handed over as one batch (visitors with `leaves`, native helper only).
    const batching = v.leaves !== undefined && pacer.concurrent;
    let pending = [];
    const flush = async () => {
        if (pending.length === 0)
            return;
        track(v.leaves(dirA, pending));
        pending = [];
        if (inFlight.size >= MAX_IN_FLIGHT)
            await Promise.race(inFlight);
    };
    // A directory a process keeps filling could keep one pass going for ever (a listing returns
    // entries added after it began): a pass handles at most what the directory could hold when it
    // was first seen, then the directory is reported (ENOTEMPTY) and stays.
    const cap = (0,_pace_js__WEBPACK_IMPORTED_MODULE_0__/* .passCap */ .Mx)(e.st.size, (0,_pace_js__WEBPACK_IMPORTED_MODULE_0__/* .fsTypeOf */ .DW)(mount));
    let handled = 0;
    try {
        walk: for await (const batch of (0,_fs_entries_js__WEBPACK_IMPORTED_MODULE_2__/* .statBatches */ .zj)(dirA, e.rel)) {
            for (const child of batch) {
                if (++handled > cap) {
                    v.error(e.rel, Object.assign(new Error(`kept filling while it was walked (more than the ${cap} entries it could hold when first seen)`), { code: 'ENOTEMPTY' }));
                    stays = true;
                    break walk;
                }
                if (pacer.due())
                    await pacer.yield();
                if (pacer.stopped) {
                    stays = true;
                    break walk;
                }
                if (child.err !== null) {
                    v.error(child.rel, child.err);
                    stays = true;
                    continue;
                }
                if (v.afterLstat)
                    v.afterLstat(child.rel);
                if (child.kind !== 'dir') {
                    if (policy.isProtectedIn(child.dirRel, child.text, false)) {
                        v.keep(child, 'protected');
                        stays = true;
                        continue;
                    }
                    if (batching) {
                        pending.push(child);
                        if (pending.length >= LEAF_BATCH)
                            await flush();
                        continue;
                    }
                    const r = v.leaf(child);
                    if (r === true)
                        stays = true;
                    else if (r !== false) {
                        track(r);
                        if (inFlight.size >= MAX_IN_FLIGHT)
                            await Promise.race(inFlight);
                    }
                }
                else {
                    // No free slot: wait for this directory's own work in flight (which always finishes,
                    // so this never waits on an ancestor) and try again; with nothing in flight, go inline.
                    let slot = pacer.takeSlot();
                    while (!slot && pacer.concurrent && inFlight.size > 0) {
                        await Promise.race(inFlight);
                        slot = pacer.takeSlot();
                    }
                    if (slot) {
                        track(visit(child, mount, policy, v, pacer).finally(() => pacer.releaseSlot()));
                        if (inFlight.size >= MAX_IN_FLIGHT)
                            await Promise.race(inFlight);
                    }
                    else if (await visit(child, mount, policy, v, pacer)) {
                        stays = true;
                    }
                }
            }
            await flush();
        }
        // Cancelled: leaves not yet handed over stay (stays is already true).
        pending = [];
        // After descending: the directory must still be the one that was opened (fallback mode).
        dirA.recheck();
    }
    catch (err) {
        v.error(e.rel, err);
        stays = true;
    }
    finally {
        // Everything that uses this directory's fd settles before it is closed.
        await Promise.allSettled([...inFlight]);
        dirA.close();
    }
    return stays;
}


/***/ }),

/***/ 1262:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   $Y: () => (/* binding */ sameNode),
/* harmony export */   Gm: () => (/* binding */ fastPath),
/* harmony export */   H_: () => (/* binding */ unlinkAt),
/* harmony export */   Mm: () => (/* binding */ leaveCwd),
/* harmony export */   Mz: () => (/* binding */ Anchor),
/* harmony export */   NT: () => (/* binding */ anchorMode),
/* harmony export */   RW: () => (/* binding */ procRequiredButMissing),
/* harmony export */   TP: () => (/* binding */ walkerStatus),
/* harmony export */   ag: () => (/* binding */ lstatAt),
/* harmony export */   cN: () => (/* binding */ readlinkAt),
/* harmony export */   dw: () => (/* binding */ nameBytes),
/* harmony export */   kM: () => (/* binding */ rmdirAt)
/* harmony export */ });
/* unused harmony export setAnchorMode */
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _common_errors_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(1922);
/* harmony import */ var _native_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(4379);
/**
 * Directory-anchored filesystem access.
 *
 * Node has no openat/unlinkat/fstatat/fchdir. What it has: the working directory. Operations use
 * single-component names relative to the working directory, which is an inode reference, not a
 * path: renaming or replacing the directory's path does not redirect them, and lstat/unlink/rmdir
 * never follow the final component. Directories are opened with O_NOFOLLOW.
 *
 * Entering a directory: on Linux, chdir("/proc/self/fd/N") lands exactly in the directory fd N
 * has open (a magic link, like fchdir), whatever happened to its path meanwhile. Elsewhere (the
 * fallback) it is tmpwatch's way: chdir by path, and directories are re-checked after descending.
 * Both then prove with stat('.') that the working directory is the device+inode that was opened.
 * Relative lookups are also much cheaper than lookups through /proc/self/fd/N/name (measured here:
 * 3.6 us against 8.6 us per lstat). See SECURITY.md for what remains in the fallback.
 *
 * Mounts: a bind mount of the same filesystem has the same st_dev, so directories are compared
 * by mount ID (mnt_id in /proc/self/fdinfo) as well; the fallback can only compare st_dev.
 * Names are Buffers so that file names that are not valid UTF-8 can still be removed.
 */



const O_DIR = (node_fs__WEBPACK_IMPORTED_MODULE_0___default().constants).O_RDONLY | (node_fs__WEBPACK_IMPORTED_MODULE_0___default().constants).O_DIRECTORY | (node_fs__WEBPACK_IMPORTED_MODULE_0___default().constants).O_NOFOLLOW;
const SLASH = Buffer.from('/');
const DOT = Buffer.from('.');
function nameBytes(name) {
    return typeof name === 'string' ? Buffer.from(name) : name;
}
const PROC_SUPER_MAGIC = 0x9fa0;
/** /proc/self/fd on a real procfs: a directory of that name on another filesystem could redirect every unlink. */
function procAvailable() {
    try {
        if (!node_fs__WEBPACK_IMPORTED_MODULE_0___default().statSync('/proc/self/fd').isDirectory())
            return false;
        return process.platform !== 'linux' || node_fs__WEBPACK_IMPORTED_MODULE_0___default().statfsSync('/proc/self/fd').type === PROC_SUPER_MAGIC;
    }
    catch {
        return false;
    }
}
// On Linux, /proc is required (a Linux without it is refused by the engine): the fallback is for
// other platforms, and for tests that force it.
let mode = procAvailable() || process.platform === 'linux' ? 'proc' : 'recheck';
/** The native helper, used only with /proc anchoring (the fallback is what other platforms run). */
function fastPath() {
    return mode === 'proc' ? (0,_native_js__WEBPACK_IMPORTED_MODULE_1__/* .native */ .Yk)() : null;
}
/** How directories are walked, for the report: 'native', or why the JavaScript path is used. */
function walkerStatus() {
    return mode === 'proc' ? (0,_native_js__WEBPACK_IMPORTED_MODULE_1__/* .nativeStatus */ .c$)() : 'off (path-based fallback anchoring)';
}
function procRequiredButMissing() {
    return mode === 'proc' && !procAvailable();
}
/** Which strategy is in use; `setAnchorMode('recheck')` forces the fallback (tests run it on Linux). */
function anchorMode() {
    return mode;
}
function setAnchorMode(m) {
    if (m === 'proc' && !procAvailable())
        throw fail('ERR_PLATFORM', '/proc/self/fd is not available on this system');
    leaveCwd();
    mode = m;
}
// ---- fallback: the working directory as the anchor -------------------------------------------
let cwdAnchor = null;
let originalCwd = null;
function enter(dir) {
    if (cwdAnchor === dir)
        return;
    originalCwd ??= process.cwd();
    cwdAnchor = null;
    // EACCES (no search permission) and the like are reported as they are.
    process.chdir(mode === 'proc' ? `/proc/self/fd/${dir.fd}` : dir.path.toString('utf8'));
    if (!sameNode(node_fs__WEBPACK_IMPORTED_MODULE_0___default().statSync('.'), dir))
        throw changed(dir.path);
    cwdAnchor = dir;
}
/** Goes back to the directory the process started in (after a walk). */
function leaveCwd() {
    cwdAnchor = null;
    if (originalCwd !== null) {
        process.chdir(originalCwd);
        originalCwd = null;
    }
}
function mountIdOf(fd) {
    if (mode !== 'proc')
        return null;
    try {
        const m = /^mnt_id:\s*(\d+)/m.exec(node_fs__WEBPACK_IMPORTED_MODULE_0___default().readFileSync(`/proc/self/fdinfo/${fd}`, 'utf8'));
        return m ? Number(m[1]) : null;
    }
    catch {
        return null;
    }
}
function sameNode(a, b) {
    return a.dev === b.dev && a.ino === b.ino;
}
function changed(path) {
    return (0,_common_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .fail */ .fJ)('ECHANGED', `directory ${path.toString('utf8')} was replaced while it was being purged`);
}
/** An open directory: its fd, the path it was opened by, its device+inode and mount ID. */
class Anchor {
    fd;
    path;
    dev;
    ino;
    mountId;
    size;
    constructor(fd, path, dev, ino, 
    /** Mount ID (Linux); null where it cannot be read. */
    mountId, 
    /** The directory's own st_size (how much there is to list). */
    size) {
        this.fd = fd;
        this.path = path;
        this.dev = dev;
        this.ino = ino;
        this.mountId = mountId;
        this.size = size;
    }
    static fromFd(fd, path) {
        const st = node_fs__WEBPACK_IMPORTED_MODULE_0___default().fstatSync(fd);
        return new Anchor(fd, path, st.dev, st.ino, mountIdOf(fd), st.size);
    }
    /** True when `other` is on the same mount (a bind mount of the same filesystem is not). */
    sameMount(other) {
        return this.dev === other.dev && (this.mountId === null || other.mountId === null || this.mountId === other.mountId);
    }
    /** Opens an absolute directory path; its final component must not be a link. */
    static open(path) {
        return Anchor.fromFd(node_fs__WEBPACK_IMPORTED_MODULE_0___default().openSync(path, O_DIR), Buffer.from(path));
    }
    /** The path through which `name` in this directory is reached. */
    child(name) {
        enter(this);
        return name;
    }
    /** The path to list this directory by. */
    listPath() {
        enter(this);
        return DOT;
    }
    /** Opens directory `name` here; fails (ENOTDIR/ELOOP) when it is a link or not a directory. */
    openChild(name) {
        return Anchor.fromFd(node_fs__WEBPACK_IMPORTED_MODULE_0___default().openSync(this.child(name), O_DIR), Buffer.concat([this.path, SLASH, nameBytes(name)]));
    }
    /** Fallback mode: proves the path still names this directory (throws ECHANGED). No-op with /proc. */
    recheck() {
        if (mode === 'proc')
            return;
        let st;
        try {
            st = node_fs__WEBPACK_IMPORTED_MODULE_0___default().lstatSync(this.path);
        }
        catch {
            throw changed(this.path);
        }
        if (!st.isDirectory() || !sameNode(st, this))
            throw changed(this.path);
    }
    close() {
        if (cwdAnchor === this)
            cwdAnchor = null;
        try {
            node_fs__WEBPACK_IMPORTED_MODULE_0___default().closeSync(this.fd);
        }
        catch {
            // already closed: nothing to release
        }
    }
}
function lstatAt(dir, name) {
    return node_fs__WEBPACK_IMPORTED_MODULE_0___default().lstatSync(dir.child(name));
}
function unlinkAt(dir, name) {
    node_fs__WEBPACK_IMPORTED_MODULE_0___default().unlinkSync(dir.child(name));
}
function rmdirAt(dir, name) {
    node_fs__WEBPACK_IMPORTED_MODULE_0___default().rmdirSync(dir.child(name));
}
function readlinkAt(dir, name) {
    return node_fs__WEBPACK_IMPORTED_MODULE_0___default().readlinkSync(dir.child(name), 'utf8');
}


/***/ }),

/***/ 4703:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   I: () => (/* binding */ kindOf),
/* harmony export */   vj: () => (/* binding */ typedEntries),
/* harmony export */   zj: () => (/* binding */ statBatches)
/* harmony export */ });
/* unused harmony exports dirEntries, StatEntry, direntKind */
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_buffer__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(4573);
/* harmony import */ var node_buffer__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_buffer__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var _native_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(4379);
/* harmony import */ var _anchor_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(1262);
/**
 * Listing an opened directory: its entries with their type (d_type), or with their lstat made
 * relative to the directory. The native helper does both in C against the directory fd; the
 * JavaScript path lists through the working directory (see anchor.ts). A huge directory is
 * streamed, so memory stays flat however many entries it holds.
 */




/** Directories smaller than this (st_size, which grows with the entry count) are listed in one call. */
const BULK_LIST_MAX_BYTES = 1024 * 1024;
/**
 * A directory's entries, with their d_type. A small directory is read in one call (fastest); a
 * huge one is streamed, so memory stays flat however many entries it holds.
 */
function dirEntries(dir) {
    if (dir.size < BULK_LIST_MAX_BYTES)
        return node_fs__WEBPACK_IMPORTED_MODULE_0___default().readdirSync(dir.listPath(), { encoding: 'buffer', withFileTypes: true });
    return streamEntries(dir);
}
function* streamEntries(dir) {
    const stream = node_fs__WEBPACK_IMPORTED_MODULE_0___default().opendirSync(dir.listPath(), { encoding: 'buffer', bufferSize: 256 });
    try {
        for (let d = stream.readSync(); d !== null; d = stream.readSync())
            yield d;
    }
    finally {
        stream.closeSync();
    }
}
/**
 * A directory entry with its lstat, as a walk sees it. One object per entry, no more: it is its
 * own `st`, and its root-relative path is only built when someone asks (most entries never need
 * it). `err` is set when the lstat failed (then kind is 'special', the numbers are 0 and flags
 * is -1).
 */
class StatEntry {
    parent;
    name;
    text;
    dirRel;
    kind;
    size;
    dev;
    ino;
    uid;
    flags;
    err;
    constructor(
    /** The open directory holding this entry. */
    parent, name, 
    /** The name as text (invalid UTF-8 shown with replacement characters). */
    text, 
    /** The parent's root-relative path. */
    dirRel, kind, size, dev, ino, 
    /** The owner: who may unlink it from a sticky directory. */
    uid, 
    /**
     * Its immutable and append-only bits (FLAG_IMMUTABLE, FLAG_APPEND of flags.ts: such an entry,
     * or anything in such a directory, cannot be unlinked, not even by root); -1 when unknown
     * (the JavaScript path, which has no statx, or a filesystem that does not report them).
     */
    flags, err) {
        this.parent = parent;
        this.name = name;
        this.text = text;
        this.dirRel = dirRel;
        this.kind = kind;
        this.size = size;
        this.dev = dev;
        this.ino = ino;
        this.uid = uid;
        this.flags = flags;
        this.err = err;
    }
    get rel() {
        return `${this.dirRel}/${this.text}`;
    }
    get st() {
        return this;
    }
}
/** Entries per batch on the JavaScript path (the native helper batches by getdents64 buffer). */
const JS_BATCH = 256;
const ENOENT = 2;
/**
 * A directory's entries, each lstat'ed relative to the directory, in batches. Entries that
 * vanished before their lstat are skipped. The native helper does the listing and the lstats in
 * C against the directory fd; otherwise it is readdir plus one lstat per entry. `dirRel` is the
 * directory's root-relative path.
 */
async function* statBatches(dir, dirRel) {
    const h = (0,_anchor_js__WEBPACK_IMPORTED_MODULE_3__/* .fastPath */ .Gm)();
    if (h === null) {
        let batch = [];
        for (const d of dirEntries(dir)) {
            const text = d.name.toString('utf8');
            let st;
            try {
                st = (0,_anchor_js__WEBPACK_IMPORTED_MODULE_3__/* .lstatAt */ .ag)(dir, d.name);
            }
            catch (err) {
                if (err.code === 'ENOENT')
                    continue;
                batch.push(new StatEntry(dir, d.name, text, dirRel, 'special', 0, 0, 0, 0, -1, err));
                continue;
            }
            batch.push(new StatEntry(dir, d.name, text, dirRel, kindOf(st), st.size, st.dev, st.ino, st.uid, -1, null));
            if (batch.length >= JS_BATCH) {
                yield batch;
                batch = [];
            }
        }
        if (batch.length > 0)
            yield batch;
        return;
    }
    for (let first = true, eof = false; !eof; first = false) {
        const r = await h.scan(dir.fd, true, true, first);
        if (r === null)
            return;
        if (typeof r === 'number')
            throw (0,_native_js__WEBPACK_IMPORTED_MODULE_2__/* .errnoError */ .NB)(r, 'getdents64', dir.path.toString('utf8'));
        const [names, meta] = r;
        eof = r[2];
        const strs = decodeNames(names);
        const batch = [];
        for (let i = 0, k = 0; i < meta.length; i += _native_js__WEBPACK_IMPORTED_MODULE_2__/* .META */ .Ge, k++) {
            const name = strs ? strs[k] : names.subarray(meta[i], meta[i] + meta[i + 1]);
            const text = strs ? strs[k] : name.toString('utf8');
            const errno = meta[i + 2];
            if (errno === ENOENT)
                continue;
            if (errno !== 0) {
                batch.push(new StatEntry(dir, name, text, dirRel, 'special', 0, 0, 0, 0, -1, (0,_native_js__WEBPACK_IMPORTED_MODULE_2__/* .errnoError */ .NB)(errno, 'lstat', text)));
                continue;
            }
            batch.push(new StatEntry(dir, name, text, dirRel, kindOfMode(meta[i + 3]), meta[i + 4], meta[i + 5], meta[i + 6], meta[i + 7], meta[i + 8], null));
        }
        if (batch.length > 0)
            yield batch;
    }
}
/** A directory's entries with their d_type, no lstat: through the native helper when loaded. */
function* typedEntries(dir) {
    const h = (0,_anchor_js__WEBPACK_IMPORTED_MODULE_3__/* .fastPath */ .Gm)();
    if (h === null) {
        for (const d of dirEntries(dir))
            yield { name: d.name, kind: direntKind(d) };
        return;
    }
    for (let first = true, eof = false; !eof; first = false) {
        const r = h.scan(dir.fd, false, false, first);
        if (r === null)
            return;
        if (typeof r === 'number')
            throw (0,_native_js__WEBPACK_IMPORTED_MODULE_2__/* .errnoError */ .NB)(r, 'getdents64', dir.path.toString('utf8'));
        const [names, meta] = r;
        eof = r[2];
        const strs = decodeNames(names);
        for (let i = 0, k = 0; i < meta.length; i += _native_js__WEBPACK_IMPORTED_MODULE_2__/* .META */ .Ge, k++) {
            yield { name: strs ? strs[k] : names.subarray(meta[i], meta[i] + meta[i + 1]), kind: meta[i + 3] === 0 ? null : kindOfMode(meta[i + 3]) };
        }
    }
}
/** A scan's NUL-terminated names as strings, decoded at once; null when any is not valid UTF-8. */
function decodeNames(names) {
    return (0,node_buffer__WEBPACK_IMPORTED_MODULE_1__.isUtf8)(names) ? names.toString('utf8').split('\0') : null;
}
const S_IFMT = 0o170000;
function kindOfMode(mode) {
    switch (mode & S_IFMT) {
        case 0o100000:
            return 'file';
        case 0o040000:
            return 'dir';
        case 0o120000:
            return 'symlink';
        default:
            return 'special';
    }
}
/** The entry's type from the directory itself (d_type), or null when the filesystem does not say. */
function direntKind(d) {
    if (d.isDirectory())
        return 'dir';
    if (d.isSymbolicLink())
        return 'symlink';
    if (d.isFile())
        return 'file';
    if (d.isFIFO() || d.isSocket() || d.isBlockDevice() || d.isCharacterDevice())
        return 'special';
    return null;
}
function kindOf(st) {
    if (st.isSymbolicLink())
        return 'symlink';
    if (st.isDirectory())
        return 'dir';
    if (st.isFile())
        return 'file';
    return 'special';
}


/***/ }),

/***/ 7400:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Yy: () => (/* binding */ decodeFlags),
/* harmony export */   jZ: () => (/* binding */ flagsAt),
/* harmony export */   qy: () => (/* binding */ blockingFlag)
/* harmony export */ });
/* unused harmony exports FLAG_IMMUTABLE, FLAG_APPEND */
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _native_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(4379);
/* harmony import */ var _anchor_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(1262);
/**
 * The Linux inode flags that stop an unlink whoever asks: an immutable or append-only entry
 * cannot be unlinked, nor can anything in an immutable or append-only directory, not even by
 * root. Only statx(2) reports them (in stx_attributes, without opening the file); Node has no
 * statx, so they come from the native helper, and are unknown (null) on the JavaScript path.
 * With the owner (which a sticky directory checks), a planner can tell before anything is
 * deleted which entries would stay.
 */



/** STATX_ATTR_IMMUTABLE: no unlink, rename or write of the entry, nor of a directory's entries. */
const FLAG_IMMUTABLE = 0x10;
/** STATX_ATTR_APPEND: append-only; a directory's entries cannot be unlinked or renamed either. */
const FLAG_APPEND = 0x20;
/** The flags in `bits` (StatEntry.flags, or the helper's); null when they are unknown (-1). */
function decodeFlags(bits) {
    if (bits === -1)
        return null;
    return { immutable: (bits & FLAG_IMMUTABLE) !== 0, appendOnly: (bits & FLAG_APPEND) !== 0 };
}
/** The flag that stops an unlink, if any: the entry's own, or (for a directory) its entries'. */
function blockingFlag(f) {
    return f?.immutable ? 'immutable' : f?.appendOnly ? 'append-only' : null;
}
/**
 * The owner, mode and flags of `name` in `dir` (not following a link), or of `dir` itself when
 * `name` is null. Through the native helper relative to the directory fd when it is in use;
 * otherwise an lstat the way anchor.ts does it (or an fstat of the fd), with flags null. Throws
 * the lstat's error (ENOENT and the like).
 */
function flagsAt(dir, name) {
    const h = (0,_anchor_js__WEBPACK_IMPORTED_MODULE_2__/* .fastPath */ .Gm)();
    if (h === null) {
        const st = name === null ? node_fs__WEBPACK_IMPORTED_MODULE_0___default().fstatSync(dir.fd) : (0,_anchor_js__WEBPACK_IMPORTED_MODULE_2__/* .lstatAt */ .ag)(dir, name);
        return { uid: st.uid, mode: st.mode, flags: null };
    }
    const r = h.flags(dir.fd, name === null ? null : (0,_anchor_js__WEBPACK_IMPORTED_MODULE_2__/* .nameBytes */ .dw)(name));
    if (typeof r === 'number') {
        const what = name === null ? dir.path : Buffer.concat([dir.path, Buffer.from('/'), (0,_anchor_js__WEBPACK_IMPORTED_MODULE_2__/* .nameBytes */ .dw)(name)]);
        throw (0,_native_js__WEBPACK_IMPORTED_MODULE_1__/* .errnoError */ .NB)(r, name === null ? 'fstat' : 'lstat', what.toString('utf8'));
    }
    return { uid: r[0], mode: r[1], flags: decodeFlags(r[2]) };
}


/***/ }),

/***/ 7673:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   E: () => (/* binding */ lookupTarget),
/* harmony export */   H: () => (/* binding */ openCheckedDir)
/* harmony export */ });
/* harmony import */ var _common_errors_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(1922);
/* harmony import */ var _anchor_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1262);
/* harmony import */ var _entries_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(4703);



/**
 * Opens the directory `name` in `parent` and proves it is the node `expected` describes
 * (a swap between lstat and open is caught here). Throws ECHANGED when it is not.
 */
function openCheckedDir(parent, name, expected) {
    const dir = parent.openChild(name);
    if (!(0,_anchor_js__WEBPACK_IMPORTED_MODULE_0__/* .sameNode */ .$Y)(dir, expected)) {
        dir.close();
        throw (0,_common_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .fail */ .fJ)('ECHANGED', 'directory was replaced between check and open');
    }
    return dir;
}
/**
 * Walks `rel` segment by segment from the root without following any link or crossing a mount, so
 * a parent that is a symlink (e.g. `data -> /elsewhere` for `data/redis`) or a bind mount refuses
 * the target instead of leaving root.
 */
function lookupTarget(root, rel) {
    const segments = rel.split('/');
    let dir = root;
    const opened = [];
    try {
        for (let i = 0; i < segments.length - 1; i++) {
            try {
                dir = dir.openChild(Buffer.from(segments[i]));
                opened.push(dir);
            }
            catch (err) {
                const code = err.code;
                if (code === 'ENOENT')
                    return { found: false, missing: true, reason: 'does not exist' };
                const parent = segments.slice(0, i + 1).join('/');
                if (code === 'ENOTDIR' || code === 'ELOOP') {
                    return { found: false, missing: false, reason: `parent ${JSON.stringify(parent)} is a link or not a directory; links are never followed` };
                }
                return { found: false, missing: false, reason: `cannot open parent ${JSON.stringify(parent)}: ${code ?? err}` };
            }
            // A parent on another mount (a bind mount of a folder outside the root) would put the target
            // outside the root: refused, as a target that is itself a mount point is.
            if (!root.sameMount(dir)) {
                const parent = segments.slice(0, i + 1).join('/');
                return { found: false, missing: false, reason: `parent ${JSON.stringify(parent)} is a mount point (another filesystem or a bind mount), and safe-purge never crosses mounts` };
            }
        }
        const name = Buffer.from(segments[segments.length - 1]);
        let st;
        try {
            st = (0,_anchor_js__WEBPACK_IMPORTED_MODULE_0__/* .lstatAt */ .ag)(dir, name);
        }
        catch (err) {
            const code = err.code;
            if (code === 'ENOENT')
                return { found: false, missing: true, reason: 'does not exist' };
            return { found: false, missing: false, reason: `cannot inspect it: ${code ?? err}` };
        }
        const parent = opened.length > 0 ? opened.pop() : root.openChild(Buffer.from('.'));
        return { found: true, target: { parent, name, st, kind: (0,_entries_js__WEBPACK_IMPORTED_MODULE_1__/* .kindOf */ .I)(st) } };
    }
    finally {
        for (const o of opened)
            o.close();
    }
}


/***/ }),

/***/ 10:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   KK: () => (/* binding */ cloneDirMeta),
/* harmony export */   fF: () => (/* binding */ probeKept),
/* harmony export */   wc: () => (/* binding */ renameAt)
/* harmony export */ });
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _native_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(4379);
/* harmony import */ var _anchor_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(1262);
/**
 * What moving a directory aside in one rename needs: a rename between two opened directories, a
 * look through a whole tree for what must stay, and a directory's owner, mode and ACLs put on a
 * fresh one. Node has no renameat/renameat2 (it renames by path, and can neither refuse to replace
 * nor swap two entries) and no xattr API (POSIX ACLs are xattrs): these go through the native
 * helper. Without it, a rename goes by /proc/self/fd/N/name, which stays anchored to the opened
 * directories (see anchor.ts), 'noreplace' is emulated, and a swap or an ACL copy is refused
 * (ENOTSUP): the caller then purges in place.
 */



const FLAGS = { replace: 0, noreplace: 1, exchange: 2 };
const EEXIST = 17;
const EINVAL = 22;
const ENOSYS = 38;
const ENOTSUP = 95;
/**
 * renameat(2) between two opened directories; `how`: 'replace' (plain rename), 'noreplace'
 * (fails EEXIST when newName exists), 'exchange' (atomically swaps the two, both must exist).
 * Throws a Node-style ErrnoException (code, syscall 'rename'). 'exchange' throws code ENOTSUP
 * where it is not available (no native helper, or a kernel or filesystem without
 * RENAME_EXCHANGE): the caller falls back, nothing was moved. Names are single entries (not
 * empty, no slash or NUL, not . or ..); anything else is a caller's bug, thrown as a RangeError.
 */
function renameAt(from, oldName, to, newName, how) {
    const oldBytes = entryName(oldName);
    const newBytes = entryName(newName);
    const h = (0,_anchor_js__WEBPACK_IMPORTED_MODULE_2__/* .fastPath */ .Gm)();
    if (h !== null) {
        const e = h.rename(from.fd, oldBytes, to.fd, newBytes, FLAGS[how]);
        if (e === 0)
            return;
        if (how === 'replace' || (e !== EINVAL && e !== ENOSYS))
            throw renameError(e, from, oldBytes, to, newBytes);
        if (how === 'exchange')
            throw notSupported(from, oldBytes, to, newBytes, 'this kernel or filesystem cannot exchange two entries (RENAME_EXCHANGE)');
        // RENAME_NOREPLACE refused by the kernel or filesystem: emulated as without the helper.
    }
    if (how === 'exchange')
        throw notSupported(from, oldBytes, to, newBytes, 'exchanging two entries needs the native helper (renameat2)');
    const recheck = (0,_anchor_js__WEBPACK_IMPORTED_MODULE_2__/* .anchorMode */ .NT)() === 'recheck';
    if (recheck) {
        from.recheck();
        to.recheck();
    }
    try {
        const oldPath = pathOf(from, oldBytes);
        const newPath = pathOf(to, newBytes);
        if (how === 'replace')
            node_fs__WEBPACK_IMPORTED_MODULE_0___default().renameSync(oldPath, newPath);
        else
            renameNoReplace(oldPath, newPath);
    }
    catch (err) {
        const errno = err.errno;
        throw typeof errno === 'number' ? renameError(-errno, from, oldBytes, to, newBytes) : err;
    }
    if (recheck) {
        from.recheck();
        to.recheck();
    }
}
/**
 * RENAME_NOREPLACE without renameat2. A non-directory is hard-linked to the new name (link(2)
 * fails EEXIST atomically, and links a symlink as a link), then its old name unlinked. A
 * directory cannot be hard-linked: it is renamed after the new name was seen missing, and an
 * empty directory made there in between would be replaced (a non-empty one, or a file, makes the
 * rename fail). Another residual race: an entry put in place of the old name between the link
 * and the unlink would be unlinked instead, the moved one then keeping both names.
 */
function renameNoReplace(oldPath, newPath) {
    if (lstatOrNull(newPath) !== null)
        throw Object.assign(new Error('EEXIST'), { errno: -EEXIST });
    if (node_fs__WEBPACK_IMPORTED_MODULE_0___default().lstatSync(oldPath).isDirectory()) {
        node_fs__WEBPACK_IMPORTED_MODULE_0___default().renameSync(oldPath, newPath);
        return;
    }
    node_fs__WEBPACK_IMPORTED_MODULE_0___default().linkSync(oldPath, newPath);
    try {
        node_fs__WEBPACK_IMPORTED_MODULE_0___default().unlinkSync(oldPath);
    }
    catch (err) {
        try {
            node_fs__WEBPACK_IMPORTED_MODULE_0___default().unlinkSync(newPath);
        }
        catch {
            // the new name stays too: the unlink's error is the one to report
        }
        throw err;
    }
}
/**
 * Directory `dst` gets directory `src`'s owner and group (changed only when they differ), its
 * permission bits with setuid, setgid and sticky, and its POSIX ACLs (an ACL `src` has not is
 * removed from `dst`). Throws an ErrnoException at the first failure; the caller undoes. Without
 * the native helper Node cannot read an ACL, so whether `src` has one is unknown: the owner and
 * mode are copied, then it throws code ENOTSUP, and a caller that accepts losing ACLs may go on.
 */
function cloneDirMeta(src, dst) {
    const h = (0,_anchor_js__WEBPACK_IMPORTED_MODULE_2__/* .fastPath */ .Gm)();
    if (h !== null) {
        const e = h.cloneDirMeta(src.fd, dst.fd);
        if (e !== 0)
            throw (0,_native_js__WEBPACK_IMPORTED_MODULE_1__/* .errnoError */ .NB)(e, 'cloneDirMeta', `${shown(src.path)}' -> '${shown(dst.path)}`);
        return;
    }
    const s = node_fs__WEBPACK_IMPORTED_MODULE_0___default().fstatSync(src.fd);
    const d = node_fs__WEBPACK_IMPORTED_MODULE_0___default().fstatSync(dst.fd);
    // The owner first: a chown clears the setgid bit that the chmod then sets.
    if (s.uid !== d.uid || s.gid !== d.gid)
        node_fs__WEBPACK_IMPORTED_MODULE_0___default().fchownSync(dst.fd, s.uid, s.gid);
    node_fs__WEBPACK_IMPORTED_MODULE_0___default().fchmodSync(dst.fd, s.mode & 0o7777);
    const err = (0,_native_js__WEBPACK_IMPORTED_MODULE_1__/* .errnoError */ .NB)(ENOTSUP, 'cloneDirMeta', `${shown(src.path)}' -> '${shown(dst.path)}`);
    err.message = `ENOTSUP: ACLs cannot be copied without the native helper (owner and mode were), cloneDirMeta '${shown(src.path)}' -> '${shown(dst.path)}'`;
    throw err;
}
const REASONS = { 1: 'protected', 2: 'mount-point', 3: 'unreadable' };
/**
 * The first entry below `dir` (at any depth, never following a link) that must stay, or null when
 * there is none: 'protected', its name is in `names` (any type of entry) or in `dirNames` (a
 * directory), lowercase names compared as policy.ts does (toLowerCase); 'mount-point', a directory
 * on another mount; 'unreadable', it cannot be opened, listed or stat'ed (`code`; ELOOP: 4096
 * levels down). `path` is relative to `dir` ('' for `dir` itself). 'unsupported' when the native
 * helper is not in use, or a name holds a non-ASCII character (the helper folds only ASCII case,
 * and the Kelvin sign, the one character toLowerCase turns into ASCII): the caller then walks in
 * JavaScript.
 */
function probeKept(dir, names, dirNames) {
    const h = (0,_anchor_js__WEBPACK_IMPORTED_MODULE_2__/* .fastPath */ .Gm)();
    // eslint-disable-next-line no-control-regex
    if (h === null || [...names, ...dirNames].some((n) => /[^\x00-\x7f]/.test(n)))
        return 'unsupported';
    const r = h.probe(dir.fd, nameList(names), nameList(dirNames));
    if (r === null)
        return null;
    const [path, reason, errno] = r;
    const found = { path: path.toString('utf8'), reason: REASONS[reason] };
    return errno === 0 ? found : { ...found, code: (0,_native_js__WEBPACK_IMPORTED_MODULE_1__/* .errnoError */ .NB)(errno, 'probe', '').code };
}
/**
 * The names as the helper takes them: lowercased as policy.ts does, separated by NULs. A name that
 * can be no entry's (empty, . or .., holding a slash or a NUL) can match nothing and is left out.
 */
function nameList(names) {
    const kept = names.map((n) => n.toLowerCase()).filter((n) => n !== '' && n !== '.' && n !== '..' && !/[/\0]/.test(n));
    return Buffer.from(kept.join('\0'));
}
/** The bytes of one entry name; a caller's bug (a path, ., .., empty) is thrown. */
function entryName(name) {
    const b = (0,_anchor_js__WEBPACK_IMPORTED_MODULE_2__/* .nameBytes */ .dw)(name);
    if (b.length === 0 || b.includes(0x2f) || b.includes(0) || (b[0] === 0x2e && (b.length === 1 || (b.length === 2 && b[1] === 0x2e)))) {
        throw new RangeError(`renameAt: ${JSON.stringify(b.toString('utf8'))} is not one entry name`);
    }
    return b;
}
/** The path that reaches `name` in `dir`: through its fd with /proc, else its own path (re-checked). */
function pathOf(dir, name) {
    if ((0,_anchor_js__WEBPACK_IMPORTED_MODULE_2__/* .anchorMode */ .NT)() === 'proc')
        return Buffer.concat([Buffer.from(`/proc/self/fd/${dir.fd}/`), name]);
    return Buffer.concat([dir.path, Buffer.from('/'), name]);
}
function shown(path, name) {
    return (name === undefined ? path : Buffer.concat([path, Buffer.from('/'), name])).toString('utf8');
}
function renameError(errno, from, oldName, to, newName) {
    const path = shown(from.path, oldName);
    const dest = shown(to.path, newName);
    return Object.assign((0,_native_js__WEBPACK_IMPORTED_MODULE_1__/* .errnoError */ .NB)(errno, 'rename', `${path}' -> '${dest}`), { path, dest });
}
function notSupported(from, oldName, to, newName, why) {
    const err = renameError(ENOTSUP, from, oldName, to, newName);
    err.message = `ENOTSUP: ${why}, rename '${err.path}' -> '${err.dest}'`;
    return err;
}
function lstatOrNull(path) {
    try {
        return node_fs__WEBPACK_IMPORTED_MODULE_0___default().lstatSync(path);
    }
    catch (err) {
        if (err.code === 'ENOENT')
            return null;
        throw err;
    }
}


/***/ }),

/***/ 4379:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Ge: () => (/* binding */ META),
/* harmony export */   NB: () => (/* binding */ errnoError),
/* harmony export */   Yk: () => (/* binding */ native),
/* harmony export */   c$: () => (/* binding */ nativeStatus)
/* harmony export */ });
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(8161);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_os__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var node_util__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(7975);
/* harmony import */ var node_util__WEBPACK_IMPORTED_MODULE_3___default = /*#__PURE__*/__webpack_require__.n(node_util__WEBPACK_IMPORTED_MODULE_3__);
/* harmony import */ var node_url__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(3136);
/* harmony import */ var node_url__WEBPACK_IMPORTED_MODULE_4___default = /*#__PURE__*/__webpack_require__.n(node_url__WEBPACK_IMPORTED_MODULE_4__);
/**
 * Loads the native helper (addon/fsat.c, built into dist/native/): a directory scan that lstat's
 * each entry relative to the directory's fd, batched unlinkat(fd, name) on the thread pool, one
 * entry's owner and immutable/append-only flags (which only statx reports; Node has no statx),
 * renameat2 between two directory fds, a names-only look through a whole tree for what must stay,
 * and a directory's owner, mode and ACLs copied onto another (Node has no renameat or xattrs).
 * They work only on directory fds the engine opened with O_NOFOLLOW, so they keep every
 * anchoring rule (see fsat.ts) without the working-directory detour, and cost a C loop instead of
 * one JavaScript call per entry.
 *
 * It is optional: when the binary is missing or does not load (another platform or CPU, an old
 * libc), or SAFE_PURGE_NATIVE=0 is set, the engine uses its JavaScript path, which is equally safe
 * and slower. `nativeStatus()` says which is in use and why.
 */





/**
 * Numbers per entry in scan's metadata: name offset, name length, errno, mode, size, dev, ino,
 * uid, flags (immutable/append-only bits, -1 when unknown).
 */
const META = 9;
const FILE = `fsat-${process.platform}-${process.arch}.node`;
let helper = null;
let status = 'not loaded';
function candidates() {
    // dist/index.js -> dist/native; dist/cli/index.js -> dist/native; src/fs/native.ts (tests) -> dist/native
    const here = node_path__WEBPACK_IMPORTED_MODULE_2___default().dirname((0,node_url__WEBPACK_IMPORTED_MODULE_4__.fileURLToPath)(import.meta.url));
    return [node_path__WEBPACK_IMPORTED_MODULE_2___default().join(here, 'native', FILE), node_path__WEBPACK_IMPORTED_MODULE_2___default().join(here, '..', 'native', FILE), node_path__WEBPACK_IMPORTED_MODULE_2___default().join(here, '..', '..', 'dist', 'native', FILE)];
}
function load() {
    const setting = process.env.SAFE_PURGE_NATIVE;
    if (setting === '0' || setting === 'false' || setting === 'off') {
        status = `off (SAFE_PURGE_NATIVE=${setting})`;
        return;
    }
    if (process.platform !== 'linux') {
        status = `not used on ${process.platform}`;
        return;
    }
    const file = candidates().find((f) => node_fs__WEBPACK_IMPORTED_MODULE_0___default().existsSync(f));
    if (!file) {
        status = `not found (${FILE})`;
        return;
    }
    try {
        const mod = { exports: {} };
        process.dlopen(mod, file, (node_os__WEBPACK_IMPORTED_MODULE_1___default().constants).dlopen.RTLD_NOW);
        const e = mod.exports;
        const functions = ['scan', 'unlinkBatch', 'flags', 'rename', 'probe', 'cloneDirMeta'];
        if (e.abi !== 7 || functions.some((f) => typeof e[f] !== 'function')) {
            status = `${FILE} is not this version's helper`;
            return;
        }
        helper = mod.exports;
        status = 'native';
    }
    catch (err) {
        status = `${FILE} did not load: ${err.message.split('\n')[0]}`;
    }
}
load();
/** The helper, when it is loaded; null means: use the JavaScript path. */
function native() {
    return helper;
}
/** 'native', or why the JavaScript path is used. */
function nativeStatus() {
    return status;
}
const errnoNames = node_util__WEBPACK_IMPORTED_MODULE_3___default().getSystemErrorMap();
/** An Error like Node's own for `errno` (code, errno, syscall), naming `what`. */
function errnoError(errno, syscall, what) {
    const [code, text] = errnoNames.get(-errno) ?? [`E${errno}`, 'unknown error'];
    return Object.assign(new Error(`${code}: ${text}, ${syscall} '${what}'`), { code, errno: -errno, syscall });
}


/***/ }),

/***/ 9599:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   A_: () => (/* binding */ defaultGuardEnv),
/* harmony export */   R8: () => (/* binding */ openRoot),
/* harmony export */   aT: () => (/* binding */ guardRoot)
/* harmony export */ });
/* unused harmony export SYSTEM_DIRS */
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(8161);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_os__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var _common_errors_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(1922);
/* harmony import */ var _common_options_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(2043);
/* harmony import */ var _anchor_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(1262);
/**
 * Refuses roots that no purge should ever run in: '/', the user's home (and any directory that
 * contains it), and system directories. Comparison is by device + inode after resolving links,
 * never by string, so '//', '/etc/..', a symlink to '/' or a bind mount of it are all caught.
 */






const SYSTEM_DIRS = [
    '/', '/bin', '/boot', '/dev', '/etc', '/home', '/lib', '/lib32', '/lib64', '/libx32', '/media', '/mnt',
    '/opt', '/proc', '/root', '/run', '/sbin', '/snap', '/srv', '/sys', '/tmp', '/usr', '/usr/bin',
    '/usr/lib', '/usr/local', '/usr/local/bin', '/usr/sbin', '/usr/share', '/var', '/var/lib', '/var/log',
    '/var/tmp', '/var/run', '/private', '/Users', '/System', '/Library', '/Applications'
];
function defaultGuardEnv(env = process.env) {
    const homes = [node_os__WEBPACK_IMPORTED_MODULE_1___default().homedir(), env.HOME ?? ''].filter((h) => h !== '');
    return { cwd: process.cwd(), homes };
}
function nodeOf(p) {
    try {
        const st = node_fs__WEBPACK_IMPORTED_MODULE_0___default().statSync(p);
        return { dev: st.dev, ino: st.ino };
    }
    catch {
        return null;
    }
}
function guardRoot(input, genv, names = _common_options_js__WEBPACK_IMPORTED_MODULE_3__/* .ACTION_NAMES */ .G) {
    const fix = `set ${names('root')} to the environment directory`;
    if (input.includes('\0'))
        throw (0,_common_errors_js__WEBPACK_IMPORTED_MODULE_5__/* .fail */ .fJ)('ERR_ROOT_INVALID', `root contains a NUL byte: ${fix}`);
    if (input.trim() === '') {
        throw (0,_common_errors_js__WEBPACK_IMPORTED_MODULE_5__/* .fail */ .fJ)('ERR_ROOT_EMPTY', `root is empty: ${fix} (it is never guessed from the current directory)`);
    }
    const abs = node_path__WEBPACK_IMPORTED_MODULE_2___default().resolve(genv.cwd, input);
    let real;
    try {
        real = node_fs__WEBPACK_IMPORTED_MODULE_0___default().realpathSync(abs);
    }
    catch (err) {
        const code = err.code;
        throw (0,_common_errors_js__WEBPACK_IMPORTED_MODULE_5__/* .fail */ .fJ)('ERR_ROOT_MISSING', `root ${JSON.stringify(input)} does not exist (${code}): set ${names('root')} to an existing directory`);
    }
    const st = node_fs__WEBPACK_IMPORTED_MODULE_0___default().statSync(real);
    if (!st.isDirectory())
        throw (0,_common_errors_js__WEBPACK_IMPORTED_MODULE_5__/* .fail */ .fJ)('ERR_ROOT_NOT_DIR', `root ${JSON.stringify(input)} is not a directory: ${fix}`);
    const me = { dev: st.dev, ino: st.ino };
    for (const sys of SYSTEM_DIRS) {
        const n = nodeOf(sys);
        if (n && (0,_anchor_js__WEBPACK_IMPORTED_MODULE_4__/* .sameNode */ .$Y)(n, me)) {
            throw (0,_common_errors_js__WEBPACK_IMPORTED_MODULE_5__/* .fail */ .fJ)('ERR_ROOT_IS_SYSTEM', `refusing root ${JSON.stringify(input)}: it is the system directory ${sys}; ${fix}`);
        }
    }
    for (const home of genv.homes) {
        // The home directory itself and every directory above it.
        for (let p = node_path__WEBPACK_IMPORTED_MODULE_2___default().resolve(home);; p = node_path__WEBPACK_IMPORTED_MODULE_2___default().dirname(p)) {
            const n = nodeOf(p);
            if (n && (0,_anchor_js__WEBPACK_IMPORTED_MODULE_4__/* .sameNode */ .$Y)(n, me)) {
                throw (0,_common_errors_js__WEBPACK_IMPORTED_MODULE_5__/* .fail */ .fJ)('ERR_ROOT_IS_HOME', `refusing root ${JSON.stringify(input)}: it is or contains the home directory ${home}; ${fix}`);
            }
            if (p === node_path__WEBPACK_IMPORTED_MODULE_2___default().dirname(p))
                break;
        }
    }
    return { path: real, name: node_path__WEBPACK_IMPORTED_MODULE_2___default().basename(real), dev: me.dev, ino: me.ino };
}
/** Opens the guarded root and checks it is still the node that was guarded. */
function openRoot(root) {
    const dir = _anchor_js__WEBPACK_IMPORTED_MODULE_4__/* .Anchor */ .Mz.open(root.path);
    if (!(0,_anchor_js__WEBPACK_IMPORTED_MODULE_4__/* .sameNode */ .$Y)(dir, root)) {
        dir.close();
        throw (0,_common_errors_js__WEBPACK_IMPORTED_MODULE_5__/* .fail */ .fJ)('ERR_ROOT_CHANGED', `root ${root.path} changed while it was being checked: rerun`);
    }
    return dir;
}


/***/ }),

/***/ 4001:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   g: () => (/* binding */ freeBytes)
/* harmony export */ });
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _anchor_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(1262);
/**
 * Free space as the filesystem reports it (statfs): what a user can still write (f_bavail, the
 * blocks left to unprivileged users, times the block size). A purge's real gain is this number
 * after minus before: unlinked files a process still holds free nothing, truncated ones do.
 */


/**
 * Free bytes on the filesystem holding `where`: an opened directory (through /proc/self/fd on
 * Linux, so a path swapped since it was opened cannot point the measure elsewhere), or a path.
 */
function freeBytes(where) {
    const path = typeof where === 'string' ? where : (0,_anchor_js__WEBPACK_IMPORTED_MODULE_1__/* .anchorMode */ .NT)() === 'proc' ? `/proc/self/fd/${where.fd}` : where.path.toString('utf8');
    const st = node_fs__WEBPACK_IMPORTED_MODULE_0___default().statfsSync(path, { bigint: true });
    return Number(st.bavail * st.bsize);
}


/***/ })

};
