// What every alert view shares: the tag colour of a grade and the one-time sound of a red alert.
export const ALERT_TAG: Record<string, string> = { red: "red", orange: "orange", yellow: "gold", blue: "blue" };
export const ALERT_ORDER: Record<string, number> = { red: 0, orange: 1, yellow: 2, blue: 3 };

export function beep(): void {
  try {
    const audio = new AudioContext();
    const tone = audio.createOscillator();
    tone.frequency.value = 880;
    tone.connect(audio.destination);
    tone.start();
    tone.stop(audio.currentTime + 0.25);
  } catch {
    // no audio device: the visible cue stays
  }
}
