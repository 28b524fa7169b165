// CPU time of process trees, read from /proc (Linux): for the SFU bench's CPU per participant.
// Owns: reading utime+stime of a process and its descendants. Never: changes anything it reads.
import { readFileSync, readdirSync } from 'node:fs';

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

function statOf(pid) {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may contain spaces) start after the last ')'.
    const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { ppid: Number(rest[1]), ticks: Number(rest[11]) + Number(rest[12]) };
  } catch {
    return undefined;
  }
}

/** Milliseconds of CPU used so far by `rootPid` and all its descendants alive now. */
export function treeCpuMs(rootPid) {
  const children = new Map();
  const ticks = new Map();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = statOf(name);
    if (!stat) continue;
    ticks.set(Number(name), stat.ticks);
    const list = children.get(stat.ppid) ?? [];
    list.push(Number(name));
    children.set(stat.ppid, list);
  }
  let total = 0;
  const stack = [rootPid];
  while (stack.length) {
    const pid = stack.pop();
    total += ticks.get(pid) ?? 0;
    stack.push(...(children.get(pid) ?? []));
  }
  return (total * 1000) / TICKS_PER_SECOND;
}

/** CPU used by each tree over a window of `ms`: { [name]: cpuMs }. */
export async function cpuOver(ms, roots) {
  const before = Object.fromEntries(Object.entries(roots).map(([k, pid]) => [k, treeCpuMs(pid)]));
  await new Promise((resolve) => setTimeout(resolve, ms));
  return Object.fromEntries(Object.entries(roots).map(([k, pid]) => [k, treeCpuMs(pid) - before[k]]));
}
