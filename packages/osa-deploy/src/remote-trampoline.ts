/**
 * Why a trampoline: on its way to the remote process an ad-hoc `command` argument is templated by Ansible
 * (`{{ x }}` is evaluated) and then expanded by the module (`$VAR`, `~user`), so the argv form alone does not
 * deliver arguments unchanged. The argv, environment, working folder and input travel base64-encoded instead,
 * and this small program (Python 2.7 and 3, no shell) decodes them and executes the command.
 */
export const TRAMPOLINE = [
  'import base64, json, os, subprocess, sys',
  'def native(value):',
  '    return value if isinstance(value, str) else value.encode("utf-8")',
  'spec = json.loads(base64.b64decode(sys.argv[1]).decode("utf-8"))',
  'argv = [native(a) for a in spec["argv"]]',
  'env = dict(os.environ)',
  'for key, value in spec["env"].items():',
  '    env[native(key)] = native(value)',
  'if spec["cwd"] is not None:',
  '    os.chdir(native(spec["cwd"]))',
  'try:',
  '    if spec["input"]:',
  '        data = base64.b64decode(sys.stdin.read())',
  '        child = subprocess.Popen(argv, env=env, stdin=subprocess.PIPE)',
  '        child.communicate(data)',
  '        sys.exit(child.returncode if child.returncode >= 0 else 128 - child.returncode)',
  '    os.execvpe(argv[0], argv, env)',
  'except OSError as error:',
  '    sys.stderr.write("%s: %s\\n" % (spec["argv"][0], error.strerror))',
  '    sys.exit(127 if error.errno == 2 else 126)',
].join('\n');

export interface TrampolineSpec {
  argv: readonly string[];
  env: Record<string, string>;
  cwd: string | undefined;
  input: string | undefined;
}

/** The `command` module arguments (JSON, the only form the CLI accepts for argv) that run `spec` remotely. */
export function trampolineModuleArgs(python: readonly string[], spec: TrampolineSpec): string {
  const payload = Buffer.from(JSON.stringify({ argv: spec.argv, env: spec.env, cwd: spec.cwd ?? null, input: spec.input !== undefined })).toString('base64');
  const args: Record<string, unknown> = {
    argv: [...python, '-c', TRAMPOLINE, payload],
    // Keep the output byte for byte: the module strips trailing blank lines by default.
    strip_empty_ends: false,
  };
  if (spec.input !== undefined) {
    args['stdin'] = Buffer.from(spec.input).toString('base64');
    args['stdin_add_newline'] = false;
  }
  return JSON.stringify(args);
}
