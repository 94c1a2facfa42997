# leap's stdout callback for `ansible <pattern> -m command` (ansibleExec in @leap/osa-deploy).
#
# Why leap ships its own: the `json` callback is not in ansible-core (it lives in the ansible.posix collection),
# and a deploy host may have neither. This one loads on the Ansible 2.1 that r14.1.0 bootstraps (Python 2.7)
# and on ansible-core 2.14+ (Python 3): no collection imports, no Python 3-only syntax, no options.
#
# Output: exactly one line on stdout when the run ends,
#   LEAP_EXEC_RESULT {"hosts": {"<host>": {"rc": 0, "stdout": "...", "stderr": "...", "msg": "...",
#                                          "failed": false, "unreachable": false}}}
# ASCII only (json escapes the rest), so the line survives any locale.
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import json
import sys

from ansible.plugins.callback import CallbackBase

DOCUMENTATION = '''
    name: leap_exec
    type: stdout
    short_description: one JSON line of per-host command results, for leap
    description:
        - Prints LEAP_EXEC_RESULT followed by the rc, stdout, stderr and msg of every host, once, at the end of the run.
'''

RESULT_PREFIX = 'LEAP_EXEC_RESULT '
KEPT_FIELDS = ('rc', 'stdout', 'stderr', 'msg')


def _plain(value):
    """What json can encode: Ansible's own string subclasses become plain text, anything else its repr."""
    if value is None or isinstance(value, (bool, int, float)):
        return value
    if isinstance(value, bytes):
        return value.decode('utf-8', 'replace')
    try:
        return u'%s' % (value,)
    except Exception:
        return repr(value)


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = 'stdout'
    CALLBACK_NAME = 'leap_exec'

    def __init__(self, *args, **kwargs):
        super(CallbackModule, self).__init__(*args, **kwargs)
        self._leap_hosts = {}

    def _record(self, result, failed, unreachable):
        raw = result._result if isinstance(result._result, dict) else {}
        entry = {'failed': bool(failed or raw.get('failed', False)), 'unreachable': bool(unreachable)}
        for field in KEPT_FIELDS:
            if field in raw:
                entry[field] = raw[field] if field == 'rc' and isinstance(raw[field], int) else _plain(raw[field])
        # A module that died before it could answer (a missing interpreter) reports module_stderr/module_stdout.
        if 'stderr' not in entry and 'module_stderr' in raw:
            entry['stderr'] = _plain(raw['module_stderr'])
        self._leap_hosts[result._host.get_name()] = entry

    def v2_runner_on_ok(self, result):
        self._record(result, False, False)

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._record(result, True, False)

    def v2_runner_on_unreachable(self, result):
        self._record(result, True, True)

    def v2_runner_on_skipped(self, result):
        self._record(result, False, False)

    def v2_playbook_on_stats(self, stats):
        line = RESULT_PREFIX + json.dumps({'hosts': self._leap_hosts}, sort_keys=True)
        # Straight to stdout, not through Display: Display also copies to log_path, and command output may hold secrets.
        sys.stdout.write(line + '\n')
        sys.stdout.flush()
