# Lab: records a stand-in playbook's run, on the controller (the lab's hosts are folders of this machine), so
# the stand-ins spend no module run on it: a module run costs about half a second, and every stand-in records.
#
#   lookup('lab_record', playbook, lab_root=..., limit=...)
#     appends "<playbook>[ --limit <limit>][ (failed once)]" to <lab_root>/ran.log; when <lab_root>/fail-once/<playbook>
#     exists it is removed and the status " (failed once)" returned (the guard then fails the play), else "".
#   lookup('lab_record', playbook, root_prefix=..., hosts=[[physical host or None, inventory host], ...])
#     appends "<playbook> <inventory host>" to <root_prefix>/<physical host>/var/log/leap-lab/ran.log for each (a
#     host without a physical host is its own).
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import errno
import os

from ansible.errors import AnsibleError
from ansible.plugins.lookup import LookupBase


def _append(path, line):
    with open(path, "a") as handle:
        handle.write(line + "\n")


class LookupModule(LookupBase):
    def run(self, terms, variables=None, **kwargs):
        if len(terms) != 1:
            raise AnsibleError("lab_record: name exactly one playbook, got %r" % (terms,))
        playbook = terms[0]
        if "lab_root" in kwargs:
            return [self._record_run(playbook, kwargs["lab_root"], kwargs.get("limit") or "")]
        if "root_prefix" in kwargs:
            for physical, host in kwargs.get("hosts") or []:
                folder = os.path.join(kwargs["root_prefix"], physical or host, "var", "log", "leap-lab")
                try:
                    os.makedirs(folder)
                except OSError as error:
                    if error.errno != errno.EEXIST:
                        raise
                _append(os.path.join(folder, "ran.log"), "%s %s" % (playbook, host))
            return [""]
        raise AnsibleError("lab_record: pass lab_root= (the lab's run) or root_prefix= and hosts= (the hosts' runs)")

    def _record_run(self, playbook, lab_root, limit):
        marker = os.path.join(lab_root, "fail-once", playbook)
        status = ""
        if os.path.lexists(marker):
            os.remove(marker)
            status = " (failed once)"
        _append(os.path.join(lab_root, "ran.log"), playbook + (" --limit " + limit if limit else "") + status)
        return status
