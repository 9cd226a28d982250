import { defineStep, param } from '@steg/step-kit';

/** The step's params (also the Tekton Task params). */
export const params = {
  mode: param.enum(['compute', 'apply', 'config-update'] as const, {
    description: 'compute: report the next version only; apply: also write it into files and create and push the tag; config-update: set the image tag in the config repository',
    default: 'compute',
  }),
  dir: param.path({ description: 'the git working tree of the source repository (compute, apply)', default: '.' }),
  remote: param.string({ description: 'the git remote that holds the release tags and receives the new tag', default: 'origin', pattern: /^[\w.-]+$/, patternHint: 'a remote name such as origin' }),
  'tag-pattern': param.string({ description: 'release tag pattern; {version} is required, {name} is replaced by the name param (monorepos: {name}@{version}, {name}/v{version})', default: 'v{version}' }),
  name: param.string({ description: 'component name for {name} in the tag pattern (monorepos)', default: '' }),
  'path-filter': param.string({ description: 'only commits touching this path count (monorepos); empty: all commits', default: '' }),
  bump: param.enum(['auto', 'major', 'minor', 'patch', 'none'] as const, { description: 'auto: from Conventional Commits since the last release tag; or an explicit bump', default: 'auto' }),
  version: param.string({ description: 'an explicit version instead of computing one (compute, apply); the version named in the commit message (config-update)', default: '' }),
  'first-version': param.string({ description: 'the version when there is no release tag yet', default: '0.1.0' }),
  'breaking-below-1': param.enum(['minor', 'major'] as const, { description: 'what a breaking change bumps while the version is below 1.0.0', default: 'minor' }),
  force: param.bool({ description: 'release a patch even when no commit since the last tag is releasable', default: false }),
  'merge-request': param.string({ description: 'merge request IID: the version becomes a prerelease X.Y.Z-mr.<iid>.<commits since the last release tag>', default: '' }),
  branch: param.string({ description: 'the branch the pipeline runs for; outside release-branches the version becomes a prerelease X.Y.Z-<branch>.<commits>', default: '' }),
  'release-branches': param.list({ description: 'branches that make releases (and that HEAD must be on before a tag is pushed)', default: ['main', 'master'] }),
  files: param.list({ description: 'version files to update: package.json (and package-lock.json beside it), pom.xml, Chart.yaml, VERSION, gradle.properties (apply)', default: [] }),
  'yaml-paths': param.list({ description: 'FILE:PATH pairs whose YAML value is set to the version, e.g. deploy/values.yaml:image.tag (apply)', default: [] }),
  tag: param.bool({ description: 'create and push the annotated release tag (apply)', default: true }),
  'dry-run': param.bool({ description: 'compute and report everything; write, commit, tag and push nothing (needs no push rights)', default: false }),
  'max-attempts': param.int({ description: 'attempts when another pipeline pushes the same tag or config branch first', default: 5, min: 1, max: 20 }),
  'git-user-name': param.string({ description: 'tagger and committer name', default: 'steg' }),
  'git-user-email': param.string({ description: 'tagger and committer email', default: 'steg@localhost' }),
  'basic-auth-dir': param.string({ description: 'directory with .git-credentials and .gitconfig (the basic-auth workspace convention of Tekton git-clone); empty: none', default: '' }),
  'ssh-dir': param.string({ description: 'directory with an SSH private key (id_ed25519, id_rsa, id_ecdsa or ssh-privatekey) and known_hosts; empty: none', default: '' }),
  'git-token': param.secret({ description: 'an access token used as the HTTP password for git (a mounted Secret file)' }),
  'git-token-dir': param.string({ description: 'directory of a mounted Secret whose file `token` is the git access token (an optional Tekton workspace); empty: none', default: '' }),
  'git-token-user': param.string({ description: 'the HTTP user name that goes with git-token', default: 'oauth2' }),
  'config-url': param.string({ description: 'URL of the GitOps config repository (config-update)', default: '' }),
  'config-branch': param.string({ description: 'branch of the config repository Argo CD syncs from', default: 'main' }),
  'config-file': param.string({ description: 'file in the config repository to edit, e.g. apps/step-counter/overlays/test/kustomization.yaml (config-update)', default: '' }),
  'config-format': param.enum(['kustomize', 'yaml'] as const, { description: 'kustomize: set images[].newTag/digest of config-image-name; yaml: set the value at config-key-path (Helm values or any YAML)', default: 'kustomize' }),
  'config-image-name': param.string({ description: 'the kustomize images[].name to set (config-format kustomize)', default: '' }),
  'config-key-path': param.string({ description: 'YAML path of the value, e.g. image.tag (config-format yaml)', default: '' }),
  'config-tag': param.string({ description: 'the image tag to write (config-update), usually the image-tag result', default: '' }),
  'config-digest': param.string({ description: 'the image digest (sha256:...) to write instead of or with the tag (config-update)', default: '' }),
  app: param.string({ description: 'the application name, for the config commit message (config-update)', default: '' }),
  environment: param.string({ description: 'the environment, for the config commit message, e.g. test (config-update)', default: '' }),
  'source-commit': param.string({ description: 'the source repository commit the image was built from, for the config commit message (config-update)', default: '' }),
};

/** The step's results (also the Tekton Task results). */
export const results = {
  version: { description: 'the computed version (a prerelease on merge-request and feature-branch pipelines)' },
  'previous-version': { description: 'the latest release before it (empty when there is none)' },
  tag: { description: 'the release tag name for the version' },
  'image-tag': { description: 'OCI-safe image tag for the version (no +)' },
  'build-version': { description: 'the version with build metadata, e.g. 1.4.0+sha.abc1234' },
  released: { description: 'true when this is a release version (tagged in apply mode); false for no releasable commits, a prerelease, or config-update' },
  bump: { description: 'major, minor, patch, none or initial (the first release)' },
  'commit-sha': { description: 'the source commit the version is for' },
  'config-commit-sha': { description: 'the config repository commit that holds the new image tag (config-update; empty in the other modes)' },
};

/** set-version: the next semver from git, written into files, tagged, and written back to the GitOps config repo. */
export const step = defineStep({
  name: 'set-version',
  description:
    'Computes the next semantic version from git tags and Conventional Commits (monorepo tag patterns, prereleases for merge requests and branches, shallow clones fetched just enough), writes it into version files, creates and pushes an annotated tag, and sets an app\'s image tag in the GitOps config repository.',
  deadline: '15m',
  params,
  results,
  exitCodes: {
    5: 'another pipeline kept winning the race for the tag or the config branch (max-attempts reached); nothing of this run was pushed',
    6: 'HEAD is not on the remote: tagging it would push an orphan commit; nothing was tagged',
  },
  examples: [
    'steg-set-version --mode compute --dir . --dry-run',
    'steg-set-version --mode apply --files package.json,charts/app/Chart.yaml --git-token-file /secrets/gitlab/token',
    'steg-set-version --mode config-update --config-url https://gitlab.example.com/platform/config.git --config-file apps/step-counter/overlays/test/kustomization.yaml --config-image-name registry.example.com/team/step-counter --config-tag 1.4.0 --app step-counter --environment test',
  ],
  async run(ctx): Promise<number> {
    const { runSetVersion } = await import('./run.ts');
    return runSetVersion(ctx);
  },
});
