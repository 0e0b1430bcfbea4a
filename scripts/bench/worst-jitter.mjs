// Preloaded (node --import) into the action for the real waits: Math.random() is always 0, the
// jitter never shortens a delay, and every poll comes as late as the schedule allows: the worst
// detection latency, deterministically. The action's only other use of Math.random is a fallback
// for a missing crypto module.
Math.random = () => 0
