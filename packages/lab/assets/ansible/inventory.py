#!/usr/bin/python3
"""Lab dynamic inventory: the deployment's own openstack_inventory.json, as OSA's dynamic_inventory.py serves it,
with every host and container run on this machine. Reading it on every run means containers the leap adds or
forgets reach Ansible exactly as they would in production.

Like OSA's dynamic_inventory.py, it also generates the containers env.d asks for and the inventory lacks, for the
containers the lab was created with (<lab>/ansible/container-types.json, written by `lab create`): for every
recorded (physical host, container type) with fewer containers of that type on that host than recorded, a new
container named <physical host>_<type>-<8 hex> (the hex from sha256 of the old name + ':newton'), in the recorded
groups, with the recorded hostvars and new addresses (same /24, used by no host of the inventory or of the record
and not in used_ips), written to openstack_inventory.json (atomically) before the inventory is printed. While a
recorded container exists, its current groups and hostvars replace the recorded ones (the inventory upgrades add
groups), so that a replacement looks like the container of the current release. Python 3 standard library only.
"""
import hashlib
import json
import os
import re
import sys
import tempfile

lab = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))
deploy_dir = os.path.join(lab, 'etc', 'openstack_deploy')
path = os.path.join(deploy_dir, 'openstack_inventory.json')
record_path = os.path.join(lab, 'ansible', 'container-types.json')
ADDRESS_KEYS = ('container_address', 'ansible_host', 'ansible_ssh_host')


def ip_int(text):
    if not isinstance(text, str):
        return None
    parts = text.strip().split('.')
    if len(parts) != 4:
        return None
    try:
        octets = [int(part) for part in parts]
    except ValueError:
        return None
    if any(octet < 0 or octet > 255 for octet in octets):
        return None
    return (octets[0] << 24) | (octets[1] << 16) | (octets[2] << 8) | octets[3]


def ip_text(value):
    return '.'.join(str((value >> shift) & 255) for shift in (24, 16, 8, 0))


def addresses_of(hostvars):
    """Every address a host's hostvars hold (its own keys and its container_networks)."""
    found = [hostvars.get(key) for key in ADDRESS_KEYS]
    networks = hostvars.get('container_networks')
    if isinstance(networks, dict):
        found.extend(net.get('address') for net in networks.values() if isinstance(net, dict))
    return [value for value in (ip_int(text) for text in found) if value is not None]


def used_ips():
    """The addresses of used_ips in openstack_user_config.yml and conf.d/*.yml (plain YAML lists of "a" or "a,b")."""
    files = [os.path.join(deploy_dir, 'openstack_user_config.yml')]
    conf_d = os.path.join(deploy_dir, 'conf.d')
    if os.path.isdir(conf_d):
        files.extend(os.path.join(conf_d, n) for n in sorted(os.listdir(conf_d)) if n.endswith(('.yml', '.yaml')))
    items = []
    for file in files:
        try:
            with open(file) as handle:
                lines = handle.read().splitlines()
        except OSError:
            continue
        in_block = False
        for line in lines:
            stripped = line.strip()
            if in_block:
                if not stripped or stripped.startswith('#'):
                    continue
                if stripped.startswith('-') and (line[0] in ' -'):
                    items.append(stripped[1:])
                    continue
                in_block = False
            match = re.match(r'^used_ips:\s*(.*)$', line)
            if match:
                rest = match.group(1).split('#')[0].strip()
                if rest.startswith('['):
                    items.extend(a or b or c for a, b, c in re.findall(r'"([^"]*)"|\'([^\']*)\'|([^,\[\]\s]+)', rest))
                else:
                    in_block = True
    used = set()
    for item in items:
        bounds = [ip_int(part.strip().strip('"\'')) for part in item.split('#')[0].strip().strip('"\'').split(',')]
        if not bounds or bounds[0] is None:
            continue
        end = bounds[1] if len(bounds) > 1 and bounds[1] is not None else bounds[0]
        if 0 <= end - bounds[0] <= 65536:
            used.update(range(bounds[0], end + 1))
    return used


def write_atomic(file, text):
    """Temp file in the same folder, fsync, rename; keeps the file's mode."""
    folder = os.path.dirname(file)
    try:
        mode = os.stat(file).st_mode & 0o7777
    except FileNotFoundError:
        mode = 0o644
    handle, temp = tempfile.mkstemp(prefix='.' + os.path.basename(file) + '.', suffix='.tmp', dir=folder)
    try:
        with os.fdopen(handle, 'w') as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temp, mode)
        os.replace(temp, file)
    except BaseException:
        try:
            os.unlink(temp)
        except OSError:
            pass
        raise
    try:
        directory = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)
    except OSError:
        pass


def reconcile(inventory, record):
    """Refreshes the record from the inventory, then adds the missing containers. Returns (inventory changed,
    record changed)."""
    hostvars = inventory.setdefault('_meta', {}).setdefault('hostvars', {})
    membership = {}
    for group, value in inventory.items():
        if group == '_meta' or not isinstance(value, dict):
            continue
        for host in value.get('hosts') or []:
            membership.setdefault(host, set()).add(group)

    slots = {}
    record_changed = False
    for entry in record.get('containers', []):
        name = entry['name']
        groups = membership.get(name, set())
        if name in hostvars and entry['type'] in groups:
            if sorted(groups) != entry['groups'] or hostvars[name] != entry['hostvars']:
                entry['groups'] = sorted(groups)
                entry['hostvars'] = json.loads(json.dumps(hostvars[name]))
                record_changed = True
        slots.setdefault((entry['physicalHost'], entry['type']), []).append(entry)

    kinds = set(kind for _, kind in slots)
    present = {}
    for name, variables in hostvars.items():
        physical = variables.get('physical_host') if isinstance(variables, dict) else None
        for kind in membership.get(name, set()) & kinds:
            present.setdefault((physical, kind), set()).add(name)
    missing = []
    for (physical, kind), entries in sorted(slots.items()):
        if physical not in hostvars:
            continue
        here = present.get((physical, kind), set())
        absent = sorted((e for e in entries if e['name'] not in here), key=lambda e: e['name'])
        missing.extend(absent[:max(0, len(entries) - len(here))])
    if not missing:
        return False, record_changed

    used = used_ips()
    for variables in hostvars.values():
        used.update(addresses_of(variables))
    for entry in record.get('containers', []):
        used.update(addresses_of(entry['hostvars']))

    def allocate(old, label):
        base = old & ~255
        start = int(hashlib.sha256(label.encode()).hexdigest()[:8], 16) % 254
        for step in range(254):
            candidate = base + 1 + (start + step) % 254
            if candidate not in used:
                used.add(candidate)
                return ip_text(candidate)
        sys.exit('lab inventory: no free address left in %s/24 for %s' % (ip_text(base), label))

    for entry in missing:
        old_name, physical, kind = entry['name'], entry['physicalHost'], entry['type']
        match = re.match(r'^(.+)-[0-9a-f]{8}$', old_name)
        prefix = match.group(1) if match else '%s_%s' % (physical, kind)
        seed, attempt = old_name + ':newton', 0
        while True:
            name = '%s-%s' % (prefix, hashlib.sha256(seed.encode()).hexdigest()[:8])
            if name not in hostvars:
                break
            attempt += 1
            seed = '%s:newton:%d' % (old_name, attempt)
        variables = json.loads(json.dumps(entry['hostvars']))
        variables['container_name'] = name
        variables['physical_host'] = physical
        renamed = {}
        networks = variables.get('container_networks')
        slots_to_readdress = []
        if isinstance(networks, dict):
            slots_to_readdress.extend((net, 'address', key) for key, net in sorted(networks.items()) if isinstance(net, dict))
        slots_to_readdress.extend((variables, key, key) for key in ADDRESS_KEYS)
        for holder, key, label in slots_to_readdress:
            old = ip_int(holder.get(key))
            if old is None:
                continue
            if old not in renamed:
                renamed[old] = allocate(old, '%s:%s' % (name, label))
            holder[key] = renamed[old]
        hostvars[name] = variables
        for group in entry['groups']:
            value = inventory.setdefault(group, {'hosts': []})
            if not isinstance(value, dict):
                continue
            hosts = value.setdefault('hosts', [])
            if name not in hosts:
                hosts.append(name)
        membership[name] = set(entry['groups'])
    return True, record_changed


def main():
    if len(sys.argv) > 1 and sys.argv[1] == '--host':
        print('{}')
        return

    with open(path) as f:
        inventory = json.load(f)

    try:
        with open(record_path) as f:
            record = json.load(f)
    except FileNotFoundError:
        record = None
    if record is not None:
        inventory_changed, record_changed = reconcile(inventory, record)
        if inventory_changed:
            write_atomic(path, json.dumps(inventory, indent=4, ensure_ascii=False) + '\n')
        if record_changed:
            write_atomic(record_path, json.dumps(record, indent=2, ensure_ascii=False) + '\n')

    hostvars = inventory.setdefault('_meta', {}).setdefault('hostvars', {})
    for name, variables in hostvars.items():
        variables['ansible_connection'] = 'local'
        variables['ansible_python_interpreter'] = '/usr/bin/python3'
        variables.setdefault('physical_host', name)
    json.dump(inventory, sys.stdout)


main()
