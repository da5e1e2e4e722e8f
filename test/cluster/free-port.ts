// One allocator for every test that starts nodes: it never hands out the same port twice.
export { freePort } from '../../client/src/free-port.js';
