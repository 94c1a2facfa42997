#!/usr/bin/env python3
"""Lab helper for the stand-in container playbooks (one process instead of one Ansible task per container).

lab_containers.py create <openstack_inventory.json> <root prefix>
    creates <prefix>/<physical host>/var/lib/lxc/<container>/{config,rootfs/etc/hostname} for every container
    of the inventory (is_metal entries are skipped), plus its /openstack/log and /openstack/backup folders and,
    for galera containers, the data folder /openstack/<container> (kept when it already exists) mounted at the
    container's /var/lib/mysql (a symlink, as the lab's bind mounts are), as OSA's galera containers have it.
lab_containers.py remove-listed <list file> <host root>
    removes <host root>/var/lib/lxc/<name> for every name in the list file (a missing file lists nothing).
"""
import json
import os
import shutil
import sys


def containers(inventory):
    for name, hostvars in sorted(inventory.get("_meta", {}).get("hostvars", {}).items()):
        physical = hostvars.get("physical_host")
        properties = hostvars.get("properties") or {}
        if not physical or physical == name or properties.get("is_metal"):
            continue
        yield name, physical, hostvars


def create(inventory_path, prefix):
    with open(inventory_path) as handle:
        inventory = json.load(handle)
    galera = set(inventory.get("galera", {}).get("hosts", [])) | set(inventory.get("galera_container", {}).get("hosts", []))
    created = 0
    for name, physical, hostvars in containers(inventory):
        host_root = os.path.join(prefix, physical)
        lxc = os.path.join(host_root, "var", "lib", "lxc", name)
        os.makedirs(os.path.join(lxc, "rootfs", "etc"), exist_ok=True)
        with open(os.path.join(lxc, "config"), "w") as handle:
            handle.write("lxc.utsname = %s\nlxc.rootfs = %s/rootfs\n# address %s\n"
                         % (name, lxc, hostvars.get("container_address", "")))
        # Since Mitaka the in-container hostname is RFC 1034/1035 compliant; the inventory name keeps its underscores.
        with open(os.path.join(lxc, "rootfs", "etc", "hostname"), "w") as handle:
            handle.write(name.replace("_", "-") + "\n")
        for folder in ("log", "backup"):
            os.makedirs(os.path.join(host_root, "openstack", folder, name), exist_ok=True)
        if name in galera:
            data = os.path.join(host_root, "openstack", name)
            os.makedirs(data, exist_ok=True)
            mount = os.path.join(lxc, "rootfs", "var", "lib", "mysql")
            if not os.path.lexists(mount):
                os.makedirs(os.path.dirname(mount), exist_ok=True)
                os.symlink(data, mount)
        created += 1
    print("%d containers present" % created)


def remove_listed(list_path, host_root):
    if not os.path.exists(list_path):
        print("no list at %s" % list_path)
        return
    with open(list_path) as handle:
        names = [line.strip() for line in handle if line.strip()]
    for name in names:
        shutil.rmtree(os.path.join(host_root, "var", "lib", "lxc", name), ignore_errors=True)
    print("removed %d listed containers" % len(names))


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "create":
        create(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 4 and sys.argv[1] == "remove-listed":
        remove_listed(sys.argv[2], sys.argv[3])
    else:
        sys.exit(__doc__)
