/**
 * What a package page shows that the version row does not hold, read from the stored .nuspec:
 * the source repository (`<repository type url>`, protocol §10.3) and the path of a license
 * file (`<license type="file">`), whose text the page then shows.
 */
import { attributeOf, childElements, elementText, parseNuspecMetadata } from '../nuget/nuspecXml';
import { isFailure } from '../problems';

export interface NuspecExtras {
  repository: { url: string; type: string } | null;
  licenseFile: string | null;
}

export function nuspecExtras(nuspec: Uint8Array | null): NuspecExtras {
  const metadata = nuspec === null ? null : parseNuspecMetadata(nuspec);
  if (metadata === null || isFailure(metadata)) return { repository: null, licenseFile: null };
  const [repository] = childElements(metadata.element, 'repository');
  const url = attributeOf(repository, 'url') ?? '';
  const [license] = childElements(metadata.element, 'license');
  const licenseFile = attributeOf(license, 'type') === 'file' ? elementText(license) : '';
  return {
    repository: url === '' ? null : { url, type: attributeOf(repository, 'type') ?? '' },
    licenseFile: licenseFile === '' ? null : licenseFile,
  };
}
