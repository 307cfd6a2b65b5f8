import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import ffmpeg from '@ffmpeg-installer/ffmpeg';
import { speak } from './scripts/standin/speech.js';
import { renderAd } from './functions/src/render/render-ad.js';
import { mixArgs, videoArgs } from './functions/src/render/ad-graph.js';
const d = '/tmp/ad-t/r';
const mk = (args: string[]) => execFileSync(ffmpeg.path, ['-hide_banner','-loglevel','error','-y',...args]);
mk(['-f','lavfi','-i','testsrc=size=720x1280:rate=24','-t','3','-pix_fmt','yuv420p',`${d}/c1.mp4`]);
mk(['-f','lavfi','-i','color=c=0x884422:size=720x1280:rate=24','-t','4','-pix_fmt','yuv420p',`${d}/c2.mp4`]);
mk(['-f','lavfi','-i','sine=frequency=220:sample_rate=44100','-t','12',`${d}/music.mp3`]);
mk(['-f','lavfi','-i','color=c=white:size=300x120','-frames:v','1',`${d}/logo.png`]);
const s1 = await speak('Fresh coffee, brewed in seconds.');
const s2 = await speak('Taste the morning!');
writeFileSync(`${d}/v1.wav`, s1.wav); writeFileSync(`${d}/v2.wav`, s2.wav);
const spec = {
    scenes: [
      { video: `${d}/c1.mp4`, durationSeconds: 3, voice: { path: `${d}/v1.wav`, words: s1.words, durationSeconds: s1.durationSeconds } },
      { video: `${d}/c2.mp4`, durationSeconds: 4, voice: { path: `${d}/v2.wav`, words: s2.words, durationSeconds: s2.durationSeconds } },
    ],
    music: `${d}/music.mp3`, transition: 'crossfade' as const, transitionSeconds: 0.5, captions: true, accent: '#2a6f97',
    endCard: { seconds: 3, brand: 'Morning Brew Co.', callToAction: 'Order today at morningbrew.example', palette: ['#1d3557', '#e63946', '#f1faee'], logo: `${d}/logo.png` },
    sourceFormat: '9:16' as const,
  };
writeFileSync(`${d}/spec.json`, JSON.stringify(spec));
console.log(mixArgs(spec, {mix: 'mix.wav'}).join(' '));
console.log(videoArgs(spec, '9:16', {audio: 'm.wav', fontsDir: 'F', output: 'o.mp4', subtitles: 's.ass'}).join(' '));
const t = Date.now();
try {
console.log(await renderAd({ spec,
  formats: ['9:16', '16:9'], workDir: d, outputFor: (f) => `${d}/out-${f.replace(':','x')}.mp4`, bedStem: `${d}/bed.wav`,
  onProgress: (p) => process.stdout.write(`${Math.round(p)} `),
}));
} catch (e) { console.log((e as Error).message); }
console.log('\nms', Date.now() - t);
