import { GitPrepError } from './errors.js';
import { allRepos, type RepoInspection } from './inspect.js';

/** Refuses states where resetting or checking out would be unsafe or would hide a problem; nothing is changed. */
export function requireSafeState(top: RepoInspection): void {
  for (const repo of allRepos(top)) {
    const where = repo.path === '.' ? repo.dir : `the submodule ${repo.path} (${repo.dir})`;
    if (repo.locks.length > 0) {
      throw new GitPrepError('LEAP_GIT_LOCKED', `${where} has a lock file left: ${repo.locks.join(', ')}`, {
        hint: `make sure no git command is running there (ps aux | grep git), then delete ${repo.locks.join(' ')} and re-run`,
        file: repo.locks[0] ?? repo.dir,
      });
    }
    if (repo.operation !== null) {
      throw new GitPrepError('LEAP_GIT_OPERATION_IN_PROGRESS', `${where} is in the middle of a ${repo.operation}`, {
        hint: `finish it or abort it (git -C ${repo.dir} ${repo.operation.split(' ')[0] ?? repo.operation} --abort), then re-run; nothing was changed`,
        file: repo.dir,
      });
    }
    if (repo.uninitialised.length > 0) {
      throw new GitPrepError(
        'LEAP_GIT_SUBMODULE_UNINITIALISED',
        `${where} has submodules that are not initialised or whose folder is missing: ${repo.uninitialised.join(', ')}`,
        {
          hint: `git -C ${repo.dir} submodule update --init --recursive (a Kilo checkout has openstack-ansible initialised), then re-run; nothing was changed`,
          file: repo.dir,
        },
      );
    }
  }
}
