/**
 * Is the node image there? If not, get it before a container or network exists: a `replimq`
 * image (`replimq:<tag>`, the default `replimq:<version>` included) the testkit builds itself
 * (image-build.ts); any other name is pulled, and failing that, one error names the image, rather
 * than a failed registry pull inside every node's start.
 */
import { ImageName, getContainerRuntimeClient } from 'testcontainers';
import { ImageUnavailableError, describeError } from './errors.js';
import { ensureReplimqImage } from './image-build.js';

export async function ensureImageAvailable(image: string): Promise<void> {
  const client = await getContainerRuntimeClient();
  const name = ImageName.fromString(image);
  if (await client.image.exists(name)) return;
  try {
    if (isBuildable(name)) await ensureReplimqImage(image);
    // A published image (e.g. in a private registry) may still be pulled.
    else await client.image.pull(name, { force: false, platform: undefined });
  } catch (error) {
    throw new ImageUnavailableError(
      `image ${image} is not on the Docker engine and could not be ${isBuildable(name) ? 'built' : 'pulled'} (${describeError(error).trim()}); ` +
        'leave the image at its default (replimq:<version>, built on first use) or name an image you have ' +
        'with REPLIMQ_IMAGE, new ReplimqContainer(image) or withImage(image)',
      image,
      { cause: error },
    );
  }
}

/** A local `replimq` repository (no registry in the name): what this testkit builds. */
function isBuildable(name: ImageName): boolean {
  return name.registry === undefined && name.image === 'replimq';
}
