#!/bin/sh
# Lab stand-in for OpenStack-Ansible's scripts/bootstrap-ansible.sh (r14.1.0): the lab runs the system's
# ansible-playbook through <lab>/bin/openstack-ansible, so there is nothing to install.
echo "bootstrap-ansible.sh (lab stand-in): nothing to do; the lab uses the system ansible-playbook"
