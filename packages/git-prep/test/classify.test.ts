import { describe, expect, it } from 'vitest';
import { classifyGitFailure, gitEnvironment } from '../src/index.js';

describe('classifyGitFailure', () => {
  it.each([
    ['remote: API rate limit exceeded for 203.0.113.7', 'transient'],
    ['error: RPC failed; HTTP 429 curl 22 The requested URL returned error: 429', 'transient'],
    [
      "fatal: unable to access 'https://github.com/rcbops/rpc-openstack/': The requested URL returned error: 502",
      'transient',
    ],
    ['error: RPC failed; curl 56 GnuTLS recv error (-54): Error in the pull function.', 'transient'],
    ["fatal: unable to access 'https://github.com/x/': Could not resolve host: github.com", 'transient'],
    [
      "fatal: unable to access 'https://github.com/x/': Failed to connect to github.com port 443: Connection timed out",
      'transient',
    ],
    ['error: RPC failed; curl 18 transfer closed with outstanding read data remaining\nfatal: early EOF', 'transient'],
    ['read: Connection reset by peer', 'transient'],
    ["remote: Repository not found.\nfatal: repository 'https://github.com/x/y/' not found", 'permanent'],
    ["fatal: Authentication failed for 'https://github.com/x/y/'", 'permanent'],
    ['git@github.com: Permission denied (publickey).\nfatal: Could not read from remote repository.', 'permanent'],
    ["fatal: could not read Username for 'https://github.com': terminal prompts disabled", 'permanent'],
    [
      "fatal: '/srv/x.git' does not appear to be a git repository\nfatal: the remote end hung up unexpectedly",
      'permanent',
    ],
    ["fatal: couldn't find remote ref r14.9.9", 'permanent'],
    ['! [rejected] r14.1.0 -> r14.1.0 (would clobber existing tag)', 'permanent'],
    ['something nobody has seen before', 'permanent'],
  ])('%s -> %s', (stderr, kind) => {
    expect(classifyGitFailure(stderr, false)).toBe(kind);
  });

  it('treats a timed-out command as transient', () => {
    expect(classifyGitFailure('', true)).toBe('transient');
  });
});

describe('gitEnvironment', () => {
  it('passes what operators use to reach GitHub and drops variables that would redirect git', () => {
    const env = gitEnvironment({
      HOME: '/root',
      PATH: '/usr/bin',
      GIT_SSH_COMMAND: 'ssh -i /root/.ssh/deploy',
      GIT_SSL_CAINFO: '/etc/ssl/ca.pem',
      https_proxy: 'http://proxy:3128',
      NO_PROXY: 'localhost',
      GIT_DIR: '/elsewhere/.git',
      GIT_WORK_TREE: '/elsewhere',
      EDITOR: 'vi',
    });
    expect(env).toEqual({
      HOME: '/root',
      PATH: '/usr/bin',
      GIT_SSH_COMMAND: 'ssh -i /root/.ssh/deploy',
      GIT_SSL_CAINFO: '/etc/ssl/ca.pem',
      https_proxy: 'http://proxy:3128',
      NO_PROXY: 'localhost',
    });
  });
});
