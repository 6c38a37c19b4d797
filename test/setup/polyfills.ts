// aws-local-stepfunctions targets Node 22; the local runner installs the
// Promise.withResolvers polyfill it needs on Node 20. Load it for every test
// file too, since some import the library directly.
import '../../local/step-functions/promise-with-resolvers';
