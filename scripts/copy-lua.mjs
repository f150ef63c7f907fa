// Copies the Lua scripts next to the compiled loader, which reads them at run time.
import { cpSync } from 'node:fs';

cpSync('src/lua', 'dist/lua', { recursive: true });
