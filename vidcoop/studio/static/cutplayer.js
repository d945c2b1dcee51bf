// The instant preview of a rough cut: the kept ranges played back to back from their source files by
// seeking one <video>, no render. Each frame (requestVideoFrameCallback, else animation frames) checks
// whether the current range is over; the next range of the same file is a seek, another file a new src.
export class CutPlayer {
  constructor(video, onPiece) {
    this.video = video;
    this.onPiece = onPiece;  // called with the index of the piece playing (-1 when stopped)
    this.pieces = [];
    this.at = -1;
    this.token = 0;
  }

  // pieces: [{url, start, end}] in seconds. Resolves when the first frame plays; returns ms from the call.
  async play(pieces) {
    const t0 = performance.now();
    this.stop();
    const token = ++this.token;
    this.pieces = pieces;
    if (!pieces.length) return null;
    await this.go(0, token);
    if (token !== this.token) return null;
    await this.video.play();
    await new Promise((resolve) => {
      if (!this.video.paused && this.video.readyState >= 3) { resolve(); return; }
      this.video.addEventListener("playing", resolve, { once: true });
    });
    this.watch(token);
    return performance.now() - t0;
  }

  stop() {
    this.token++;
    if (this.at >= 0) this.video.pause();
    this.at = -1;
    this.onPiece(-1);
  }

  async go(i, token) {
    const piece = this.pieces[i];
    this.at = i;
    this.onPiece(i);
    const video = this.video;
    if (!video.src.endsWith(piece.url)) {
      video.src = piece.url;
      await new Promise((resolve) => video.addEventListener("loadedmetadata", resolve, { once: true }));
      if (token !== this.token) return;
    }
    if (Math.abs(video.currentTime - piece.start) > 0.02) {
      video.currentTime = piece.start;
      await new Promise((resolve) => video.addEventListener("seeked", resolve, { once: true }));
    }
  }

  watch(token) {
    const video = this.video;
    const tick = async () => {
      if (token !== this.token) return;
      const piece = this.pieces[this.at];
      if (video.currentTime >= piece.end - 0.004 || video.ended) {
        const next = this.at + 1;
        if (next >= this.pieces.length) { this.stop(); return; }
        const joined = this.pieces[next].url === piece.url && Math.abs(this.pieces[next].start - piece.end) < 0.001;
        if (joined) { this.at = next; this.onPiece(next); } else {
          await this.go(next, token);
          if (token !== this.token) return;
          if (video.paused) await video.play();
        }
      }
      if (video.paused && !video.seeking) { this.stop(); return; }  // paused by the person
      schedule();
    };
    const schedule = () => {
      // a frame callback where there are frames (sound-only files have none)
      if (video.requestVideoFrameCallback && video.videoWidth > 0) video.requestVideoFrameCallback(() => tick());
      else requestAnimationFrame(() => tick());
    };
    schedule();
  }
}
