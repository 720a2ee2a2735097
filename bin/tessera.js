#!/usr/bin/env node
// Launcher for `npx tessera …`: registers tsx in this process and runs the TypeScript CLI, so
// signals (SIGTERM, Ctrl-C) reach the server directly and its exit status is ours.
import { register } from "tsx/esm/api";

register();
await import("../src/cli/index.ts");
