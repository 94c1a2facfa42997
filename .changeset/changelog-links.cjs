// Changelog lines that link each change to its commit on GitHub, from the local git history alone. Unlike
// @changesets/changelog-github it needs no GitHub token and no network, so `changeset version` runs offline and in CI.
const REPO = 'https://github.com/leap-upgrades/leap';

const link = (sha) => `[\`${sha.slice(0, 7)}\`](${REPO}/commit/${sha})`;

module.exports = {
  async getReleaseLine(changeset) {
    const [first, ...rest] = changeset.summary.split('\n').map((line) => line.trimEnd());
    const commit = changeset.commit ? `${link(changeset.commit)} ` : '';
    return [`\n- ${commit}${first}`, ...rest.map((line) => (line === '' ? '' : `  ${line}`))].join('\n');
  },
  async getDependencyReleaseLine(changesets, dependenciesUpdated) {
    if (dependenciesUpdated.length === 0) return '';
    const commits = changesets
      .map((c) => c.commit)
      .filter(Boolean)
      .map(link);
    return [
      `\n- Updated dependencies${commits.length > 0 ? ` ${commits.join(', ')}` : ''}`,
      ...dependenciesUpdated.map((d) => `  - ${d.name}@${d.newVersion}`),
    ].join('\n');
  },
};
