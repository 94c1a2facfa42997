#!/usr/bin/env python3
"""Lab stand-in for pypa's get-pip.py (pip 9.0.1), run by <lab>/bin/lab-python on a lab host's folder.

Like the real one it installs pip, setuptools and wheel (always reinstalling) plus the requirements and packages
named, with pip-install-like options: --force-reinstall, --upgrade, --isolated (accepted; get-pip always
reinstalls), -c/--constraint FILE and -r/--requirement FILE (repeatable), --no-index, -f/--find-links DIR.

A package's version is its constraint pin (name==version), else the requirement's own ==; a package with neither,
or whose requirement contradicts its constraint, fails the run before anything is installed, as does, with
--no-index, a package without a file <name>-<version>... in a --find-links folder (without --no-index the index is
assumed to have everything). Installing writes <name>-<version>.dist-info/METADATA under
$LEAP_LAB_HOST_ROOT/usr/local/lib/python2.7/dist-packages (after removing the package's other .dist-info and
.egg-info) and appends a line to $LEAP_LAB_HOST_ROOT/var/log/leap-lab/pip.log. Python 3 standard library only.
"""
import argparse
import os
import re
import shutil
import sys

DIST_PACKAGES = os.path.join('usr', 'local', 'lib', 'python2.7', 'dist-packages')
BOOTSTRAP = ('pip', 'setuptools', 'wheel')
NAME = re.compile(r'^([A-Za-z0-9][A-Za-z0-9._-]*)\s*(.*)$')


class PipError(Exception):
    def __init__(self, message, code=1):
        super().__init__(message)
        self.code = code


def key(name):
    """pip's comparison of project names: case, '-', '_' and '.' do not matter."""
    return re.sub(r'[-_.]+', '-', name).lower()


def parse_args(argv):
    parser = argparse.ArgumentParser(prog='get-pip.py', description='leap lab stand-in for get-pip.py')
    for flag in ('--force-reinstall', '--upgrade', '--isolated', '--no-index'):
        parser.add_argument(flag, action='store_true')
    parser.add_argument('-c', '--constraint', action='append', default=[])
    parser.add_argument('-r', '--requirement', action='append', default=[])
    parser.add_argument('-f', '--find-links', action='append', default=[])
    parser.add_argument('packages', nargs='*')
    return parser.parse_args(argv)


def spec_lines(path):
    """The requirement lines of a file: comments, markers and blank lines dropped."""
    try:
        with open(path) as handle:
            text = handle.read()
    except OSError as error:
        raise PipError('Could not open requirements file: %s' % error)
    lines = []
    for raw in text.splitlines():
        line = raw.split('#', 1)[0].split(';', 1)[0].strip()
        if line.startswith('-'):
            raise PipError('%s: the lab stand-in takes no options in files (%s)' % (path, line), 2)
        if line:
            lines.append(line)
    return lines


def split_spec(line):
    """(name, exact version or None) of `name`, `name==version` or `name<range>` (a range pins nothing)."""
    match = NAME.match(line)
    if match is None:
        raise PipError('Invalid requirement: %r' % line, 2)
    name, rest = match.group(1), match.group(2).replace(' ', '')
    exact = re.match(r'^==([A-Za-z0-9.+!_-]+)$', rest)
    return name, exact.group(1) if exact else None


def constraint_pins(files):
    pins = {}
    for path in files:
        for line in spec_lines(path):
            name, version = split_spec(line)
            if version is None:
                continue
            earlier = pins.get(key(name))
            if earlier is not None and earlier[1] != version:
                raise PipError('Conflicting constraints: %s==%s and %s==%s' % (earlier[0], earlier[1], name, version))
            pins[key(name)] = (name, version)
    return pins


def wanted(args):
    """[(name, own version or None)]: pip, setuptools, wheel, then the requirement files and the packages named."""
    specs = [(name, None) for name in BOOTSTRAP]
    for path in args.requirement:
        specs.extend(split_spec(line) for line in spec_lines(path))
    specs.extend(split_spec(line) for line in args.packages)
    merged = {}
    for name, version in specs:
        earlier = merged.get(key(name))
        if earlier is not None and earlier[1] is not None and version is not None and earlier[1] != version:
            raise PipError('Double requirement given: %s==%s (already in %s==%s)' % (name, version, *earlier))
        if earlier is None or version is not None:
            merged[key(name)] = (name, version)
    return list(merged.values())


def resolve(specs, pins):
    """[(name, version)] for every spec, or the first reason pip would give up."""
    resolved = []
    for name, own in specs:
        pinned = pins.get(key(name))
        if pinned is not None and own is not None and own != pinned[1]:
            raise PipError('Could not satisfy constraints for %s: the requirement %s==%s contradicts the constraint %s==%s'
                           % (name, name, own, pinned[0], pinned[1]))
        version = pinned[1] if pinned is not None else own
        if version is None:
            raise PipError('no version for %s' % name)
        resolved.append((name, version))
    return resolved


def find_wheel(name, version, folders):
    prefix = ('%s-%s' % (name.replace('-', '_'), version)).lower()
    for folder in folders:
        entries = sorted(os.listdir(folder)) if os.path.isdir(folder) else []
        for entry in entries:
            lower = entry.lower()
            if lower.startswith(prefix) and lower[len(prefix):len(prefix) + 1] in ('-', '.'):
                return entry
    return None


def sources(resolved, args):
    """Where each package comes from: its file in --find-links with --no-index, else the index."""
    found = []
    for name, version in resolved:
        if not args.no_index:
            found.append('index')
            continue
        wheel = find_wheel(name, version, args.find_links)
        if wheel is None:
            raise PipError('Could not find a version that satisfies the requirement %s==%s (from versions: )\n'
                           'No matching distribution found for %s==%s' % (name, version, name, version))
        found.append(wheel)
    return found


def installed_name(entry):
    """The project name of a dist-packages .dist-info or .egg-info entry (its name up to -<digit>)."""
    stem = re.sub(r'\.(dist-info|egg-info)$', '', entry)
    return re.split(r'-(?=\d)', stem, maxsplit=1)[0]


def install(root, name, version, source):
    site = os.path.join(root, DIST_PACKAGES)
    os.makedirs(site, exist_ok=True)
    replaced = []
    for entry in sorted(os.listdir(site)):
        if entry.endswith(('.dist-info', '.egg-info')) and key(installed_name(entry)) == key(name):
            path = os.path.join(site, entry)
            if os.path.isdir(path) and not os.path.islink(path):
                shutil.rmtree(path)
            else:
                os.remove(path)
            replaced.append(entry)
    info = os.path.join(site, '%s-%s.dist-info' % (name.replace('-', '_'), version))
    os.makedirs(info)
    with open(os.path.join(info, 'METADATA'), 'w') as handle:
        handle.write('Metadata-Version: 2.0\nName: %s\nVersion: %s\n' % (name, version))
    log_dir = os.path.join(root, 'var', 'log', 'leap-lab')
    os.makedirs(log_dir, exist_ok=True)
    with open(os.path.join(log_dir, 'pip.log'), 'a') as log:
        suffix = ' (replaced %s)' % ', '.join(replaced) if replaced else ''
        log.write('install %s==%s from %s%s\n' % (name, version, source, suffix))


def main(argv):
    root = os.environ.get('LEAP_LAB_HOST_ROOT', '')
    if not root or not os.path.isdir(root):
        raise PipError('get-pip.py (leap lab stand-in): LEAP_LAB_HOST_ROOT must name a lab host folder; '
                       'run it through <lab>/bin/lab-python <host root> get-pip.py ...', 2)
    args = parse_args(argv)
    resolved = resolve(wanted(args), constraint_pins(args.constraint))
    found = sources(resolved, args)
    for name, version in resolved:
        print('Collecting %s==%s' % (name, version))
    print('Installing collected packages: %s' % ', '.join(name for name, _ in resolved))
    for (name, version), source in zip(resolved, found):
        install(root, name, version, source)
    print('Successfully installed %s' % ' '.join('%s-%s' % pair for pair in resolved))
    return 0


if __name__ == '__main__':
    try:
        sys.exit(main(sys.argv[1:]))
    except PipError as error:
        print(str(error), file=sys.stderr)
        sys.exit(error.code)
