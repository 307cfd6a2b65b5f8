// ffprobe of a media file (the binary from `@ffprobe-installer/ffprobe`): what the demo reports about the
// final video, and what the tests check it against.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import ffprobe from '@ffprobe-installer/ffprobe';

export interface ProbedStream {
  codec_type: string;
  codec_name: string;
  width?: number;
  height?: number;
  pix_fmt?: string;
  r_frame_rate?: string;
  avg_frame_rate?: string;
  profile?: string;
  sample_rate?: string;
  channels?: number;
}

export interface Probe {
  durationSeconds: number;
  formatName: string;
  sizeBytes: number;
  streams: ProbedStream[];
}

interface FfprobeJson {
  streams?: ProbedStream[];
  format?: { duration?: string; format_name?: string; size?: string };
}

export async function probeMedia(path: string): Promise<Probe> {
  const { stdout } = await promisify(execFile)(ffprobe.path, [
    '-v',
    'error',
    '-show_entries',
    'format=duration,format_name,size:stream=codec_type,codec_name,profile,width,height,pix_fmt,r_frame_rate,avg_frame_rate,sample_rate,channels',
    '-of',
    'json',
    path,
  ]);
  const json = JSON.parse(stdout) as FfprobeJson;
  return {
    durationSeconds: Number(json.format?.duration ?? NaN),
    formatName: json.format?.format_name ?? '',
    sizeBytes: Number(json.format?.size ?? 0),
    streams: json.streams ?? [],
  };
}
