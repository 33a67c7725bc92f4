// Follows a Server-Sent Events stream with fetch() so the bearer token can go in a header (EventSource cannot send
// one). Parses the SSE framing, remembers the last event id and, when the connection drops, reconnects with
// Last-Event-ID so the service replays what was missed (or says it cannot and sends a fresh snapshot).


/**
 * follow(url, {headers: () => ({...}), onEvent({type, id, data}), onState(state, info)}) → {drop(holdMs), resume(), stop(), lastEventId}.
 * States: connecting, live, reconnecting, unauthorized, stopped.
 */
export function follow(url, { headers, onEvent, onState }) {
  let lastEventId = null;
  let retry = 2000;
  let controller = null;
  let stopped = false;
  let holdUntil = 0;
  let connects = 0;
  let wake = null;

  // Waits before the next attempt; resume() ends the wait at once.
  const pause = (ms) => new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    wake = () => { clearTimeout(timer); resolve(); };
  });

  async function run() {
    while (!stopped) {
      controller = new AbortController();
      onState(connects === 0 ? 'connecting' : 'reconnecting', { connects });
      try {
        const response = await fetch(url, {
          headers: { Accept: 'text/event-stream', ...headers(), ...(lastEventId ? { 'Last-Event-ID': lastEventId } : {}) },
          signal: controller.signal,
          cache: 'no-store',
        });
        if (response.status === 401) {
          onState('unauthorized');
          window.dispatchEvent(new CustomEvent('auth-required'));
          return;
        }
        if (!response.ok || !response.body) throw new Error(`HTTP ${response.status}`);
        connects++;
        onState('live', { connects, resumedFrom: lastEventId });
        await read(response.body);
      } catch {
        // Dropped, refused or aborted: fall through to the reconnect below.
      }
      if (stopped) break;
      onState('reconnecting', { connects });
      await pause(Math.max(retry, holdUntil - Date.now()));
      wake = null;
    }
    onState('stopped');
  }

  async function read(body) {
    const reader = body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    let event = { type: '', data: [], id: null };
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += value;
      const lines = buffer.split(/\r\n|\r|\n/);
      buffer = lines.pop();
      for (const line of lines) {
        if (line === '') {
          if (event.id !== null) lastEventId = event.id;
          if (event.data.length > 0) dispatch(event);
          event = { type: '', data: [], id: null };
          continue;
        }
        if (line.startsWith(':')) continue;
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        let value = colon < 0 ? '' : line.slice(colon + 1);
        if (value.startsWith(' ')) value = value.slice(1);
        if (field === 'event') event.type = value;
        else if (field === 'data') event.data.push(value);
        else if (field === 'id' && !value.includes('\0')) event.id = value;
        else if (field === 'retry' && /^\d+$/.test(value)) retry = Number(value);
      }
    }
  }

  function dispatch(event) {
    let data;
    try { data = JSON.parse(event.data.join('\n')); } catch { return; }
    onEvent({ type: event.type || 'message', id: event.id ?? lastEventId, data });
  }

  run();
  return {
    /** Drops the connection (as a network failure would); the next attempt waits at least holdMs. */
    drop(holdMs = 0) {
      holdUntil = Date.now() + holdMs;
      controller?.abort();
    },
    /** Ends a drop's hold: the next attempt starts now. */
    resume() {
      holdUntil = 0;
      wake?.();
    },
    stop() {
      stopped = true;
      controller?.abort();
    },
    get lastEventId() { return lastEventId; },
  };
}
