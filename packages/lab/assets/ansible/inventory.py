#!/usr/bin/env python3
"""Lab dynamic inventory: the deployment's own openstack_inventory.json, as OSA's dynamic_inventory.py serves it,
with every host and container run on this machine. Reading it on every run means containers the leap adds or
forgets reach Ansible exactly as they would in production."""
import json
import os
import sys

lab = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))
path = os.path.join(lab, 'etc', 'openstack_deploy', 'openstack_inventory.json')

if len(sys.argv) > 1 and sys.argv[1] == '--host':
    print('{}')
    sys.exit(0)

with open(path) as f:
    inventory = json.load(f)

hostvars = inventory.setdefault('_meta', {}).setdefault('hostvars', {})
for name, variables in hostvars.items():
    variables['ansible_connection'] = 'local'
    variables['ansible_python_interpreter'] = '/usr/bin/python3'
    variables.setdefault('physical_host', name)
json.dump(inventory, sys.stdout)
