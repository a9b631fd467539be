import { describe, expect, it } from 'vitest';
import { excerpt } from './excerpt.ts';

describe('excerpt', () => {
  it.each<[string, number, boolean, string]>([
    ['plain text', 100, false, 'plain text'],
    ['plain text', 5, true, 'plain...'],
    ['plain text', 6, true, 'plain...'],
    ['abc', 3, true, 'abc'],
    ['<p>One</p><p>Two</p>', 100, false, 'One Two'],
    ['<b>in</b><i>line</i>', 100, false, 'inline'],
    ['a <script>alert("x")</script> b', 100, false, 'a b'],
    ['a <STYLE type="x">p{}</style > b', 100, false, 'a b'],
    ['a <img src="x.png"> b <input value="v"/> c', 100, false, 'a b c'],
    ['a <!-- hidden --> b', 100, false, 'a b'],
    ['x &amp; y &lt;z&gt; &#65;&#x42; &nbsp;&bogus;', 100, false, 'x & y <z> AB &bogus;'],
    ['  lots \n\n of \t space  ', 100, false, 'lots of space'],
    ['1 < 2 and 3 > 2', 100, false, '1 < 2 and 3 > 2'],
    ['<div>unclosed <span', 100, false, 'unclosed'],
    ['a <script>never closed', 100, false, 'a'],
    ['😀😀😀😀', 2, true, '😀😀...'],
    ['<h1>Title</h1>Body text', 5, false, 'Title'],
  ])('%j (%i, %s)', (html, max, ellipsis, expected) => {
    expect(excerpt(html, max, ellipsis)).toBe(expected);
  });

  // Hostile markup of ~1 MB: a quadratic scan would run for minutes and hit the test timeout;
  // the outputs are asserted, not a duration.
  it.each<[string, string, number, string]>([
    ['unterminated tags and comments', '<script'.repeat(50_000) + '<a'.repeat(50_000) + '<!--'.repeat(50_000), 100, ''],
    ['deep nesting before text', '<div>'.repeat(100_000) + 'x'.repeat(1_000_000), 10, 'xxxxxxxxxx...'],
    ['a script never closed', '<script>' + '</a'.repeat(100_000), 10, ''],
    ['entities and bare brackets', '&amp;'.repeat(100_000) + '< '.repeat(100_000), 10, '&&&&&&&&&&...'],
  ])('hostile markup: %s', (_name, html, max, expected) => {
    expect(excerpt(html, max, true)).toBe(expected);
  });
});
