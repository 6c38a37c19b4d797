// aws-local-stepfunctions calls Promise.withResolvers (Node 22+). The runner
// runs under tsx (npm start) and jest alike, so it installs the polyfill
// itself on Node 20; test/setup/polyfills.ts loads this same file.
if (typeof (Promise as { withResolvers?: unknown }).withResolvers !== 'function') {
  Object.defineProperty(Promise, 'withResolvers', {
    configurable: true,
    writable: true,
    value: function withResolvers<T>() {
      let resolve!: (value: T | PromiseLike<T>) => void;
      let reject!: (reason?: unknown) => void;
      const promise = new Promise<T>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      return { promise, resolve, reject };
    },
  });
}

export {};
