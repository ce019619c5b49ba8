// Follow a task's Server-Sent Events with fetch (EventSource cannot send the key header),
// reconnecting with Last-Event-ID and backoff when the connection drops.
import { BASE, ApiError, call } from './api.js';

/** Parse SSE text blocks; returns [events, rest]. */
export function parseEvents(buffer) {
  const events = [];
  const blocks = buffer.split(/\r?\n\r?\n/);
  const rest = blocks.pop();
  for (const block of blocks) {
    const ev = { event: 'message', data: '', id: null, retry: null };
    const data = [];
    for (const line of block.split(/\r?\n/)) {
      if (!line || line.startsWith(':')) continue;
      const i = line.indexOf(':');
      const field = i < 0 ? line : line.slice(0, i);
      const value = i < 0 ? '' : line.slice(i + 1).replace(/^ /, '');
      if (field === 'event') ev.event = value;
      else if (field === 'data') data.push(value);
      else if (field === 'id') ev.id = value;
      else if (field === 'retry') ev.retry = Number(value);
    }
    ev.data = data.join('\n');
    if (data.length || ev.id !== null) events.push(ev);
  }
  return [events, rest];
}

const TERMINAL = new Set(['completed', 'failed']);

/**
 * Follow a task until it completes or fails.
 * handlers.onTask(task) on every update; handlers.onConnection(state, attempt) with
 * 'open' | 'reconnecting' | 'closed'; handlers.onError(ApiError) when following must stop.
 */
export function followTask(taskId, handlers) {
  const ctl = new AbortController();
  let lastId = null;
  let attempt = 0;
  let done = false;

  const finish = () => {
    done = true;
    handlers.onConnection?.('closed', attempt);
  };

  const deliver = (task) => {
    handlers.onTask(task);
    if (TERMINAL.has(task.status)) {
      finish();
      ctl.abort();
    }
  };

  async function once() {
    const headers = { Accept: 'text/event-stream' }; // the session cookie goes along
    if (lastId) headers['Last-Event-ID'] = lastId;
    const res = await fetch(`${BASE}/tasks/${encodeURIComponent(taskId)}/events`, {
      headers,
      signal: ctl.signal,
      cache: 'no-store',
    });
    if (!res.ok) {
      // Let call() build the ApiError (and its 401 handling) from a plain GET.
      await call('GET', `/tasks/${encodeURIComponent(taskId)}`);
      throw new ApiError(res.status, String(res.status), '');
    }
    attempt = 0;
    handlers.onConnection?.('open', attempt);
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    for (;;) {
      const { value, done: eof } = await reader.read();
      if (eof) break;
      buffer += decoder.decode(value, { stream: true });
      const [events, rest] = parseEvents(buffer);
      buffer = rest;
      for (const ev of events) {
        if (ev.id) lastId = ev.id;
        if (!ev.data) continue;
        deliver(JSON.parse(ev.data));
        if (done) return;
      }
    }
  }

  (async () => {
    while (!done) {
      try {
        await once();
      } catch (exc) {
        if (done || ctl.signal.aborted) return;
        if (exc instanceof ApiError && exc.status >= 400 && exc.status < 500) {
          handlers.onError?.(exc);
          finish();
          return;
        }
      }
      if (done || ctl.signal.aborted) return;
      // The stream ended before the task did: the connection dropped. Catch up, then retry.
      attempt += 1;
      handlers.onConnection?.('reconnecting', attempt);
      await new Promise((r) => setTimeout(r, Math.min(10_000, 500 * 2 ** Math.min(attempt, 5))));
      if (ctl.signal.aborted) return;
      try {
        deliver(await call('GET', `/tasks/${encodeURIComponent(taskId)}`));
      } catch (exc) {
        if (exc instanceof ApiError && exc.status >= 400 && exc.status < 500) {
          handlers.onError?.(exc);
          finish();
          return;
        }
      }
    }
  })();

  return {
    stop() {
      done = true;
      ctl.abort();
    },
  };
}
