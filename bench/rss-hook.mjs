// Loaded with `node --import`: prints the process's peak RSS (KiB) on stderr at exit.
process.on('exit', () => process.stderr.write(`\nmaxrss_kib=${process.resourceUsage().maxRSS}\n`))
