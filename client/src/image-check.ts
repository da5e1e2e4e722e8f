/**
 * Is the node image there? A missing image is the usual first-run problem (it is built locally,
 * not published), and testcontainers would report it as a failed registry pull inside every
 * node's start. Checking once up front gives one error that names the image and how to build it,
 * before a container or network exists.
 */
import { ImageName, getContainerRuntimeClient } from 'testcontainers';
import { ImageUnavailableError, describeError } from './errors.js';

export async function ensureImageAvailable(image: string): Promise<void> {
  const client = await getContainerRuntimeClient();
  const name = ImageName.fromString(image);
  if (await client.image.exists(name)) return;
  try {
    // A published image (e.g. in a private registry) may still be pulled.
    await client.image.pull(name, { force: false, platform: undefined });
  } catch (error) {
    throw new ImageUnavailableError(
      `image ${image} is not on the Docker engine and could not be pulled (${describeError(error).trim()}); ` +
        'build it with scripts/docker/build-image.sh in a replimq checkout, or name an image you have ' +
        'with REPLIMQ_IMAGE, new ReplimqContainer(image) or withImage(image)',
      image,
      { cause: error },
    );
  }
}
