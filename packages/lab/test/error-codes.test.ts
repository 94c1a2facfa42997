import { errorTableTests } from '@leap/test-fixtures';

// Every code src throws has a row in README.md, and the README lists only codes of LabErrorCode.
errorTableTests(new URL('..', import.meta.url), 'LabErrorCode');
