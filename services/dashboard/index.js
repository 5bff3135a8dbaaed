// Where the gateway finds the dashboard's files: static pages and styles, and the compiled browser code.
const path = require('node:path');

module.exports = {
  publicDir: path.join(__dirname, 'public'),
  scriptsDir: path.join(__dirname, 'dist'),
};
