/**
 * `$metadata`, the feed's EDMX schema. NuGet.Protocol reads only three things from it: that the
 * container's first EntitySet is Packages, which FunctionImports exist (without Search it lists
 * through Packages()), and whether the entity type has IsAbsoluteLatestVersion. The properties
 * are exactly those every entry carries (src/nuget/v2Entry.ts), with their Edm types.
 */

const PROPERTIES: readonly [name: string, type: string][] = [
  ['Id', 'Edm.String'],
  ['Version', 'Edm.String'],
  ['NormalizedVersion', 'Edm.String'],
  ['Title', 'Edm.String'],
  ['Description', 'Edm.String'],
  ['Summary', 'Edm.String'],
  ['Authors', 'Edm.String'],
  ['Copyright', 'Edm.String'],
  ['Dependencies', 'Edm.String'],
  ['Tags', 'Edm.String'],
  ['IconUrl', 'Edm.String'],
  ['LicenseUrl', 'Edm.String'],
  ['LicenseNames', 'Edm.String'],
  ['ProjectUrl', 'Edm.String'],
  ['GalleryDetailsUrl', 'Edm.String'],
  ['ReportAbuseUrl', 'Edm.String'],
  ['ReleaseNotes', 'Edm.String'],
  ['Language', 'Edm.String'],
  ['MinClientVersion', 'Edm.String'],
  ['RequireLicenseAcceptance', 'Edm.Boolean'],
  ['IsLatestVersion', 'Edm.Boolean'],
  ['IsAbsoluteLatestVersion', 'Edm.Boolean'],
  ['IsPrerelease', 'Edm.Boolean'],
  ['Created', 'Edm.DateTime'],
  ['Published', 'Edm.DateTime'],
  ['LastUpdated', 'Edm.DateTime'],
  ['LastEdited', 'Edm.DateTime'],
  ['DownloadCount', 'Edm.Int32'],
  ['VersionDownloadCount', 'Edm.Int32'],
  ['PackageHash', 'Edm.String'],
  ['PackageHashAlgorithm', 'Edm.String'],
  ['PackageSize', 'Edm.Int64'],
];

const KEYS = new Set(['Id', 'Version']);
const ENTITY = 'NuGetGallery.OData.V2FeedPackage';

function functionImport(name: string, parameters: readonly [string, string][]): string {
  const params = parameters.map(([param, type]) => `<Parameter Name="${param}" Type="${type}" />`).join('');
  return `<FunctionImport Name="${name}" ReturnType="Collection(${ENTITY})" EntitySet="Packages" m:HttpMethod="GET">${params}</FunctionImport>`;
}

export function v2MetadataXml(): string {
  const properties = PROPERTIES.map(
    ([name, type]) => `<Property Name="${name}" Type="${type}" Nullable="${KEYS.has(name) ? 'false' : 'true'}" />`,
  ).join('\n');
  return `<?xml version="1.0" encoding="utf-8"?>
<edmx:Edmx Version="1.0" xmlns:edmx="http://schemas.microsoft.com/ado/2007/06/edmx">
<edmx:DataServices m:DataServiceVersion="2.0" m:MaxDataServiceVersion="2.0" xmlns:m="http://schemas.microsoft.com/ado/2007/08/dataservices/metadata">
<Schema Namespace="NuGetGallery.OData" xmlns="http://schemas.microsoft.com/ado/2006/04/edm">
<EntityType Name="V2FeedPackage" m:HasStream="true">
<Key><PropertyRef Name="Id" /><PropertyRef Name="Version" /></Key>
${properties}
</EntityType>
</Schema>
<Schema Namespace="NuGetGallery" xmlns="http://schemas.microsoft.com/ado/2006/04/edm">
<EntityContainer Name="V2FeedContext" m:IsDefaultEntityContainer="true">
<EntitySet Name="Packages" EntityType="${ENTITY}" />
${functionImport('Search', [
  ['searchTerm', 'Edm.String'],
  ['targetFramework', 'Edm.String'],
  ['includePrerelease', 'Edm.Boolean'],
])}
${functionImport('FindPackagesById', [['id', 'Edm.String']])}
${functionImport('GetUpdates', [
  ['packageIds', 'Edm.String'],
  ['versions', 'Edm.String'],
  ['includePrerelease', 'Edm.Boolean'],
  ['includeAllVersions', 'Edm.Boolean'],
  ['targetFrameworks', 'Edm.String'],
  ['versionConstraints', 'Edm.String'],
])}
</EntityContainer>
</Schema>
</edmx:DataServices>
</edmx:Edmx>
`;
}
