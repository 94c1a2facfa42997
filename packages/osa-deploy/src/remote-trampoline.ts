import { OsaDeployError } from './errors.js';

/**
 * Why a trampoline: on its way to the remote process a command is templated by Ansible (`{{ x }}` is evaluated),
 * split by the module (shlex) and expanded (`$VAR`, `~user`), and Ansible 2.1's command module has no argv form,
 * no stdin and strips trailing newlines. So the argv, environment, working folder, input and timeout travel
 * base64-encoded, and this small program (Python 2.7 and 3, no shell) runs the command and answers with one line:
 * `LEAP_TRAMPOLINE {"rc": …, "signal": …, "stdout": <base64>, "stderr": <base64>, "timedOut": …}`, byte for byte.
 */
export const TRAMPOLINE = [
  'import base64, json, os, subprocess, sys, threading',
  'def native(value):',
  '    return value if isinstance(value, str) else value.encode("utf-8")',
  'def b64(data):',
  '    return base64.b64encode(data).decode("ascii")',
  'start = os.getcwd()',
  'def run(spec):',
  '    argv = [native(a) for a in spec["argv"]]',
  '    env = dict(os.environ)',
  '    for key, value in spec["env"].items():',
  '        env[native(key)] = native(value)',
  '    result = {"rc": None, "signal": None, "stdout": "", "stderr": "", "timedOut": False}',
  '    try:',
  '        os.chdir(start if spec["cwd"] is None else native(spec["cwd"]))',
  '    except OSError as error:',
  '        result["rc"] = 126',
  '        result["stderr"] = b64(("cannot enter %s: %s\\n" % (spec["cwd"], error.strerror)).encode("utf-8"))',
  '        return result',
  '    data = None if spec["input"] is None else base64.b64decode(spec["input"])',
  '    try:',
  '        child = subprocess.Popen(argv, env=env, stdin=subprocess.PIPE if data is not None else open(os.devnull, "rb"),',
  '                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE)',
  '    except OSError as error:',
  '        result["rc"] = 127 if error.errno == 2 else 126',
  '        result["stderr"] = b64(("%s: %s\\n" % (spec["argv"][0], error.strerror)).encode("utf-8"))',
  '        return result',
  '    def expire():',
  '        result["timedOut"] = True',
  '        child.kill()',
  '    timer = threading.Timer(spec["timeout"], expire) if spec["timeout"] else None',
  '    if timer is not None:',
  '        timer.daemon = True',
  '        timer.start()',
  '    out, err = child.communicate(data)',
  '    if timer is not None:',
  '        timer.cancel()',
  '    result["rc"] = child.returncode if child.returncode >= 0 else 128 - child.returncode',
  '    result["signal"] = -child.returncode if child.returncode < 0 else None',
  '    result["stdout"] = b64(out)',
  '    result["stderr"] = b64(err)',
  '    return result',
  'spec = json.loads(base64.b64decode("".join(sys.argv[1:])).decode("utf-8"))',
  'if "batch" in spec:',
  '    results = []',
  '    for one in spec["batch"]:',
  '        results.append(run(one))',
  '        if results[-1]["timedOut"] or (spec["stopOnFailure"] and results[-1]["rc"] != 0):',
  '            break',
  '    sys.stdout.write("LEAP_TRAMPOLINE_BATCH " + json.dumps(results) + "\\n")',
  'else:',
  '    sys.stdout.write("LEAP_TRAMPOLINE " + json.dumps(run(spec)) + "\\n")',
].join('\n');

export const TRAMPOLINE_PREFIX = 'LEAP_TRAMPOLINE ';
/** The answer line of a batch: a JSON list of answers, one per command that ran. */
export const TRAMPOLINE_BATCH_PREFIX = 'LEAP_TRAMPOLINE_BATCH ';

export interface TrampolineSpec {
  argv: readonly string[];
  env: Record<string, string>;
  cwd: string | undefined;
  input: string | undefined;
  /** Seconds after which the trampoline kills the command (Ansible 2.1 has no task timeout). */
  timeoutSeconds: number | undefined;
}

/** One argument stays well below Linux's 128 KiB limit per argument (MAX_ARG_STRLEN). */
const CHUNK = 64 * 1024;
/** Well below the 2 MiB that argv and the environment share (ARG_MAX). */
const MAX_PAYLOAD = 1024 * 1024;
/** Characters that pass Ansible's templating, the module's k=v parsing, shlex and $/~ expansion unchanged. */
const PLAIN_WORD = /^[A-Za-z0-9_./:+,@%-]+$/;

function checkPython(python: readonly string[]): void {
  for (const word of python) {
    if (!PLAIN_WORD.test(word)) {
      throw new OsaDeployError(
        'LEAP_EXEC_BAD_PYTHON',
        `the remote python command word '${word}' has characters Ansible would change`,
        {
          hint: 'name the remote Python with letters, digits and / . _ - only (e.g. /usr/bin/python2.7)',
        },
      );
    }
  }
}

/** The spec as the trampoline reads it (input base64, absent values null). */
function wire(spec: TrampolineSpec): Record<string, unknown> {
  return {
    argv: spec.argv,
    env: spec.env,
    cwd: spec.cwd ?? null,
    input: spec.input === undefined ? null : Buffer.from(spec.input).toString('base64'),
    timeout: spec.timeoutSeconds ?? null,
  };
}

function commandLine(python: readonly string[], message: Record<string, unknown>): string {
  checkPython(python);
  const payload = Buffer.from(JSON.stringify(message)).toString('base64');
  if (payload.length > MAX_PAYLOAD) {
    throw new OsaDeployError(
      'LEAP_EXEC_TOO_LARGE',
      `the command, its environment and input take ${payload.length} bytes encoded, over the ${MAX_PAYLOAD} a remote command line holds`,
      {
        hint: 'copy large input to the host as a file and pass its path instead',
      },
    );
  }
  const chunks: string[] = [];
  for (let at = 0; at < payload.length; at += CHUNK) chunks.push(payload.slice(at, at + CHUNK));
  const bootstrap = `"exec(__import__('base64').b64decode('${Buffer.from(TRAMPOLINE).toString('base64')}'))"`;
  return [...python, '-c', bootstrap, ...chunks].join(' ');
}

/**
 * The free-form `command` module line that runs `spec`: `<python> -c "exec(…)" <payload>…`. It holds only base64,
 * the python words (checked) and a fixed bootstrap, so every Ansible from 2.1 on passes it through unchanged.
 */
export function trampolineCommandLine(python: readonly string[], spec: TrampolineSpec): string {
  return commandLine(python, wire(spec));
}

/** The line that runs several specs in order (answering LEAP_TRAMPOLINE_BATCH), ending at a failure if asked. */
export function trampolineBatchCommandLine(
  python: readonly string[],
  specs: readonly TrampolineSpec[],
  stopOnFailure: boolean,
): string {
  return commandLine(python, { batch: specs.map(wire), stopOnFailure });
}
