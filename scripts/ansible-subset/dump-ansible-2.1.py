# Writes the Ansible 2.1 subset leap's own playbooks must stay inside, read from Ansible's own source.
# Run with the Python 2.7 and PYTHONPATH of an Ansible 2.1.6.0 checkout (tag v2.1.6.0-1, with its core modules
# submodule) and Jinja2 2.8, the versions r14.1.0's scripts/bootstrap-ansible.sh installs on the deploy host:
#   PYTHONPATH=<site>:<ansible>/lib python2.7 dump-ansible-2.1.py <ansible>/lib/ansible > ansible-2.1-subset.json
# Modules: only the ones leap may use (MODULES below), each with the options its DOCUMENTATION lists and their choices.
import json
import os
import sys

import jinja2
from jinja2.defaults import DEFAULT_FILTERS, DEFAULT_TESTS

import ansible
from ansible.playbook.block import Block
from ansible.playbook.play import Play
from ansible.playbook.task import Task
from ansible.plugins import filter_loader, test_loader
from ansible.utils import module_docs

MODULES = ['assert', 'command', 'copy', 'debug', 'fail', 'fetch', 'file', 'find', 'lineinfile', 'set_fact', 'shell',
           'slurp', 'stat', 'template', 'unarchive', 'wait_for']
# Free-form parameters every action accepts besides its documented options.
FREE_FORM = {'command': ['free_form', 'chdir', 'creates', 'removes', 'executable', 'warn'],
             'shell': ['free_form', 'chdir', 'creates', 'removes', 'executable', 'warn']}
# Parameters an action plugin reads besides the module's DOCUMENTATION (lib/ansible/plugins/action/assert.py).
ACTION_EXTRA = {'assert': ['msg']}
# Parameters the action plugins and add_file_common_args accept without listing them in DOCUMENTATION.
FILE_COMMON = ['mode', 'owner', 'group', 'seuser', 'serole', 'selevel', 'setype', 'follow', 'unsafe_writes',
               'content', 'backup', 'force', 'remote_src', 'regexp', 'delimiter', 'directory_mode']


def keywords(cls):
    return sorted(name for name, attr in cls()._get_base_attributes().items()
                  if not getattr(attr, 'private', False))


def module_options(root, name):
    for sub in ('core', 'extras'):
        for folder, _, files in os.walk(os.path.join(root, 'modules', sub)):
            if name + '.py' in files:
                path = os.path.join(folder, name + '.py')
                source = open(path).read()
                options = (module_docs.get_docstring(path)[0] or {}).get('options') or {}
                found = {}
                for option, spec in options.items():
                    choices = [str(c).lower() for c in (spec or {}).get('choices') or []] or None
                    for alias in [option] + ((spec or {}).get('aliases') or []):
                        found[alias] = choices
                extra = FREE_FORM.get(name, []) + ACTION_EXTRA.get(name, [])
                if 'add_file_common_args=True' in source or name in ('copy', 'template', 'file'):
                    extra += FILE_COMMON
                for option in extra:
                    found.setdefault(option, None)
                return found
    raise SystemExit('module %s not found under %s' % (name, root))


def plugin_names(loader, attribute):
    names = set()
    for plugin in loader.all():
        names.update(getattr(plugin, attribute)().keys())
    return names


def main():
    root = sys.argv[1]
    subset = {
        'source': 'Ansible %s (tag v2.1.6.0-1) and Jinja2 %s, read by scripts/ansible-subset/dump-ansible-2.1.py'
                  % (ansible.__version__, jinja2.__version__),
        'playKeywords': keywords(Play),
        'blockKeywords': keywords(Block),
        'taskKeywords': keywords(Task),
        'modules': dict((name, module_options(root, name)) for name in MODULES),
        'filters': sorted(set(DEFAULT_FILTERS) | plugin_names(filter_loader, 'filters')),
        'tests': sorted(set(DEFAULT_TESTS) | plugin_names(test_loader, 'tests')),
        'lookups': sorted(os.path.splitext(f)[0] for f in os.listdir(os.path.join(root, 'plugins', 'lookup'))
                          if f.endswith('.py') and not f.startswith('__')),
    }
    json.dump(subset, sys.stdout, indent=2, sort_keys=True)
    sys.stdout.write('\n')


main()
