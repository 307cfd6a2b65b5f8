// A downloaded ad is saved under the project's name and its format, not the Storage path the URL names
// (a cross-origin link ignores `download`, so the URL's response carries the name: issue 27 item 7).
import { describe, expect, it } from 'vitest';
import { downloadFilename } from '../../functions/src/api/assets.js';
import { attachmentDisposition } from '../../functions/src/storage/urls.js';
import { sampleProject } from './support/memory-store.js';

describe('download names', () => {
  const project = sampleProject(1);
  const prefix = `projects/${project.id}/`;
  project.name = 'Glowbrew: launch / night';
  project.assets.renders = {
    '9:16': {
      video_path: `${prefix}renders/a-9x16.mp4`,
      srt_path: `${prefix}renders/a-9x16.srt`,
      vtt_path: `${prefix}renders/a-9x16.vtt`,
      poster_path: `${prefix}renders/a-9x16.jpg`,
    },
    '16:9': { video_path: `${prefix}renders/a-16x9.mp4` },
    '9:16@es-MX': { video_path: `${prefix}renders/a-9x16-es-MX.mp4` },
  };

  it("names a render's delivery pack after the project and its format", () => {
    expect(downloadFilename(project, `${prefix}renders/a-9x16.srt`)).toBe(
      'Glowbrew- launch - night-9x16.srt',
    );
    expect(downloadFilename(project, `${prefix}renders/a-9x16.vtt`)).toBe(
      'Glowbrew- launch - night-9x16.vtt',
    );
    expect(downloadFilename(project, `${prefix}renders/a-9x16.jpg`)).toBe(
      'Glowbrew- launch - night-9x16-poster.jpg',
    );
  });

  it('names a render after the project and its format', () => {
    expect(downloadFilename(project, `${prefix}renders/a-9x16.mp4`)).toBe(
      'Glowbrew- launch - night-9x16.mp4',
    );
    expect(downloadFilename(project, `${prefix}renders/a-16x9.mp4`)).toBe(
      'Glowbrew- launch - night-16x9.mp4',
    );
    // In another of the ad's languages, the language after the format.
    expect(downloadFilename(project, `${prefix}renders/a-9x16-es-MX.mp4`)).toBe(
      'Glowbrew- launch - night-9x16-es-MX.mp4',
    );
  });

  it('keeps any other file its own name', () => {
    expect(downloadFilename(project, `${prefix}music/m.mp3`)).toBe('m.mp3');
  });

  it('says attachment with an ASCII fallback and the RFC 5987 name', () => {
    expect(attachmentDisposition('Café "ad"-9x16.mp4')).toBe(
      `attachment; filename="Caf_ _ad_-9x16.mp4"; filename*=UTF-8''Caf%C3%A9%20%22ad%22-9x16.mp4`,
    );
  });
});
