// The time slider's player: shows the incidents of one week or one month at
// a time and steps through the period the histogram covers, the next step
// once the map has drawn the last one, so that a slow server slows the
// animation instead of skipping frames.

const DWELL_MS = 900; // how long a drawn step stays before the next

/** stepEnd returns the last day of the week or month that starts on start (YYYY-MM-DD). */
export function stepEnd(start, unit) {
  const d = new Date(`${start}T00:00:00Z`);
  if (unit === 'week') d.setUTCDate(d.getUTCDate() + 6);
  else {
    d.setUTCMonth(d.getUTCMonth() + 1, 1);
    d.setUTCDate(0);
  }
  return d.toISOString().slice(0, 10);
}

/** firstStep returns the start of the week (Monday) or month holding day. */
export function firstStep(day, unit) {
  const d = new Date(`${day}T00:00:00Z`);
  if (unit === 'week') d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7));
  else d.setUTCDate(1);
  return d.toISOString().slice(0, 10);
}

function nextDay(day) {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

/**
 * Player wires the play button and the step select. span() gives the
 * dates to play through {first, last}; show(start, end) filters the map
 * and resolves once it is drawn; say(text) reports for screen readers.
 */
export class Player {
  constructor(button, unitSelect, { span, show, say }) {
    this.button = button;
    this.unitSelect = unitSelect;
    this.span = span;
    this.show = show;
    this.say = say;
    this.playing = false;
    this.steps = 0; // steps shown, for tests
    button.addEventListener('click', () => (this.playing ? this.stop() : this.play()));
  }

  async play() {
    const span = this.span();
    if (!span) {
      this.say('There are no dates to play through in this view.');
      return;
    }
    this.playing = true;
    this.button.textContent = 'Pause';
    this.button.setAttribute('aria-pressed', 'true');
    const unit = this.unitSelect.value === 'week' ? 'week' : 'month';
    let start = this.resumeAt && this.resumeAt >= span.first && this.resumeAt <= span.last ? this.resumeAt : firstStep(span.first, unit);
    while (this.playing && start <= span.last) {
      const end = stepEnd(start, unit);
      await this.show(start, end);
      this.steps++;
      this.resumeAt = nextDay(end);
      if (!this.playing) break;
      await new Promise((r) => { this.timer = setTimeout(r, DWELL_MS); });
      start = firstStep(nextDay(end), unit);
    }
    if (this.playing) {
      this.resumeAt = '';
      this.say('Played to the end of the period. Clear the dates to see them all again.');
    }
    this.stop();
  }

  stop() {
    this.playing = false;
    clearTimeout(this.timer);
    this.button.textContent = 'Play';
    this.button.setAttribute('aria-pressed', 'false');
  }
}
