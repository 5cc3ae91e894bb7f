/** Graph algorithms of the compiler: pure, iterative (flows of thousands of nodes must not overflow the stack). */

/**
 * Strongly connected components (Tarjan), restricted to `nodes`. Returns only the components that
 * contain a cycle: more than one node, or one node with an edge to itself.
 */
export function cyclicComponents(nodes: readonly string[], successors: (node: string) => readonly string[], include: (node: string) => boolean = () => true): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];
  let counter = 0;

  for (const root of nodes) {
    if (!include(root) || index.has(root)) continue;
    // Each frame: the node and the position in its successor list.
    const frames: { node: string; next: readonly string[]; i: number }[] = [];
    const enter = (node: string): void => {
      index.set(node, counter);
      low.set(node, counter);
      counter++;
      stack.push(node);
      onStack.add(node);
      frames.push({ node, next: successors(node).filter(include), i: 0 });
    };
    enter(root);
    while (frames.length > 0) {
      const frame = frames[frames.length - 1]!;
      if (frame.i < frame.next.length) {
        const child = frame.next[frame.i++]!;
        if (!index.has(child)) enter(child);
        else if (onStack.has(child)) low.set(frame.node, Math.min(low.get(frame.node)!, index.get(child)!));
        continue;
      }
      frames.pop();
      const parent = frames[frames.length - 1];
      if (parent) low.set(parent.node, Math.min(low.get(parent.node)!, low.get(frame.node)!));
      if (low.get(frame.node) === index.get(frame.node)) {
        const component: string[] = [];
        let member: string;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          component.push(member);
        } while (member !== frame.node);
        if (component.length > 1 || frame.next.includes(frame.node)) components.push(component.sort());
      }
    }
  }
  return components;
}

/** Nodes reachable from `start` (including it). */
export function reachableFrom(start: string, successors: (node: string) => readonly string[]): Set<string> {
  const seen = new Set<string>([start]);
  const queue = [start];
  for (let i = 0; i < queue.length; i++) {
    for (const next of successors(queue[i]!)) {
      if (!seen.has(next)) {
        seen.add(next);
        queue.push(next);
      }
    }
  }
  return seen;
}
