/**
 * A small SVG mark per OAuth2 provider (a coloured disc with the provider's initial), for the
 * provider lists that UIs render next to the sign-in buttons. Hearth's own drawings: brand
 * artwork belongs to each brand and a UI that wants it ships its own.
 */

function disc(fill: string, letter: string, ink = '#fff'): string {
  return (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">' +
    `<circle cx="16" cy="16" r="16" fill="${fill}"/>` +
    `<text x="16" y="21.5" font-family="Arial,Helvetica,sans-serif" font-size="16" font-weight="700" text-anchor="middle" fill="${ink}">${letter}</text>` +
    '</svg>'
  );
}

export const PROVIDER_LOGOS: Readonly<Record<string, string>> = Object.freeze({
  apple: disc('#000', 'A'),
  google: disc('#4285f4', 'G'),
  microsoft: disc('#737373', 'M'),
  github: disc('#24292f', 'G'),
  discord: disc('#5865f2', 'D'),
  oidc: disc('#f78c40', 'ID'),
});
