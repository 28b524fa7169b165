// Dev-server middleware shared by the demo server and the test runner: `/` goes to the demo.
export const devServerMiddleware = [
  function rootToDemo(context, next) {
    if (context.url === '/' || context.url === '/index.html') {
      context.redirect('/demo/index.html');
      return undefined;
    }
    return next();
  },
];
