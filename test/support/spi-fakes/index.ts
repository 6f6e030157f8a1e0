export { FakeActiveObjects } from './FakeActiveObjects';
export { createCapturingLogger } from './CapturingLogger';
export * from './FakeServices';
export * from './FakeUsers';
export { createFakeHost, REPO_ROOT, type FakeHost } from './createFakeHost';
