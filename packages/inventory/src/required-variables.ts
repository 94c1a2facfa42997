/** Variables the Newton deploy of a leap needs in user_variables.yml (leap plan step 3). */
export const REQUIRED_VARIABLES: readonly { key: string; value: string; why: string }[] = [
  { key: 'lxc_container_backing_store', value: 'dir', why: 'containers are rebuilt on the dir backing store' },
  {
    key: 'neutron_legacy_ha_tool_enabled',
    value: 'yes',
    why: 'keeps the L3 HA tool of the Kilo agents during the hand-over',
  },
];
