import { useAssetUrl } from '../lib/hooks.js';

/** A stored image of the project, or an empty frame while there is none. */
export function Thumbnail({
  projectId,
  path,
  alt,
}: {
  projectId: string;
  path: string | undefined;
  alt: string;
}) {
  const url = useAssetUrl(projectId, path);
  return url ? (
    <img className="thumb" src={url} alt={alt} />
  ) : (
    <div className="thumb empty" aria-hidden="true" />
  );
}
