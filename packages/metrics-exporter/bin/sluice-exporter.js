#!/usr/bin/env node
// A committed entry point, so npm links the bin before the first build.
require('../dist/cli.js');
