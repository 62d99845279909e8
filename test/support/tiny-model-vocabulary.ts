/** The SentencePiece-style ("llama") vocabulary of the generated test models: special tokens, byte fallback and common English/code pieces. */

/** llama.cpp's token types, as stored in `tokenizer.ggml.token_type`. */
export const TokenType = { normal: 1, unknown: 2, control: 3, userDefined: 4, byte: 6 } as const;

/**
 * Tokens with a fixed meaning. Control tokens never appear as text; the user-defined ones do, and the
 * tokenizer keeps each of them whole wherever the text contains it, which is what the Hermes tool-call
 * parser and the model's "seen a tool result" detector rely on.
 */
export const SpecialTokens = {
  unknown: "<unk>",
  bos: "<s>",
  eos: "</s>",
  imStart: "<|im_start|>",
  imEnd: "<|im_end|>",
  toolCallOpen: "<tool_call>",
  toolCallClose: "</tool_call>",
  toolResponseOpen: "<tool_response>",
  toolResponseClose: "</tool_response>",
} as const;

/** SentencePiece writes a space as this character and puts it in front of the word that follows. */
export const SPACE = "\u2581";

/**
 * Common English and programming words (bare, capitalised, and after a space). A vocabulary of single
 * characters alone turns Claude Code's 49 KB first request into about 44,000 tokens; with these it
 * is about 16,600, and llama-server's prompt time shrinks with it.
 */
const WORDS = `
the of and to in is it you that for on with as are be this or by not an at from if can your all
will use when have has do does any one which but so what was we they there their them then than
only each other more must should may also into out about after before first new no yes its
how would could these those such some same just like make need want see used using file files
path paths name names type types value values string strings number numbers boolean object array
null true false default description required properties items enum format integer minimum maximum
schema json input output error errors result results content text message messages user assistant
system tool tools call calls function functions command commands run running runs read write edit
search find list set get add remove delete create update change changes code line lines test tests
directory project task tasks agent agents model models session sessions prompt context request
response data key keys option options parameter parameters argument arguments return returns
current work working mode instead without within between through over under again always never
here where while because between both every many much most very well also even still already
don doesn isn can't won time times way part example examples note important instructions rules
background status check context git commit branch repo repository diff review pull push merge
bash shell script scripts terminal process exit output stdout stderr timeout seconds minutes
absolute relative local remote server client api url http https web page pages fetch query
skill skills workflow workflows memory settings config configuration permission permissions
allow allowed deny block blocked safe security sandbox network access user's claude anthropic
include includes including exclude match matches pattern patterns glob grep regex files folder
show shows display print log logs report findings finding level issue issues bug bugs fix fixes
open close start stop end begin next previous last full short long large small multiple single
specific general simple clear direct directly exactly explicit explicitly immediately available
possible necessary relevant appropriate existing different similar related following based
need needs needed ask asks asked answer question questions help user users person people
keep keeps reply respond responses tell tells know knows think thinking reason reasoning
should must might cannot can't don't do not never avoid prefer preferred try trying done
write writes writing written read reads reading edit edits editing create creates creating
go going goes make makes making take takes taking give gives given provide provides provided
let lets put puts come comes look looks looking seem seems turn turns move moves keep kept
loop loops own cache nothing something anything everything otherwise unless state inside outside
reminder verify via pass passes else word words summary build builds wait inline medium invoked
dynamic title send sends external internal step steps invoke apply rather hand yourself once
cloud limit limits old listing interval deploy load loads loaded named meta requests means hook
hooks feedback tag tags whole parallel target fail fails failed say says listed reference worth
confirmed covers enough select tokens token main whose shown definition complete completes
completed optional ignored high low stays replace replaces row rows label empty edited typed
happened resume self matched fire changed waiting wake now phase phases built act acts action
actions brief notes note quick quickly rest simply clearly usually often sometimes later early
who why our us me my he she his her him I it's that's there's what's let's you're we're they're
problem problems solution solutions approach idea ideas plan plans goal goals step version
install installed package packages dependency dependencies library libraries module modules
import export class method methods variable variables constant field fields member members
source sources target targets build release main master origin upstream local global
event events handler handlers callback callbacks promise async await sync thread threads
node npm bun python java javascript typescript rust go html css markdown yaml toml sql
format formats formatted parse parses parsed valid invalid validate validation
note warning warnings info debug trace level levels info success successful failure
start starts started end ends ended stop stops stopped begin begins finish finished
`;

/**
 * JSON punctuation pairs and a few non-ASCII characters that tool schemas and prose use a lot. None
 * of them starts a tool call: the steering ranks every multi-character piece below the single
 * characters, so grammar-constrained output still goes one `"` at a time.
 */
const JSON_AND_TEXT_PIECES = ['":', '",', '{"', '"}', "\\n", '\\"', "—", "–", "’", "“", "”", "…", "→", "•", "×", "✓"];

/** Words the steered models emit, which must each be one token (see tiny-model-weights.ts). */
const STEERED_PIECES = ["Hello", `${SPACE}from`, `${SPACE}a`, `${SPACE}tiny`, `${SPACE}model`, "echo", `${SPACE}hi`, "Bash"];

export interface TinyVocabulary {
  tokens: string[];
  scores: Float32Array;
  types: Int32Array;
  /** Token id of an exact piece; throws when the piece is not in the vocabulary. */
  idOf(piece: string): number;
}

/** `<0x0A>` and friends: SentencePiece's byte fallback for anything no piece covers (llama.cpp requires all 256). */
export function byteTokenText(byte: number): string {
  return `<0x${byte.toString(16).toUpperCase().padStart(2, "0")}>`;
}

/**
 * Builds the vocabulary. Every word appears bare and with the space marker, and every prefix of every
 * piece is a piece too, because SentencePiece's merge loop only joins two existing pieces into a
 * third: "▁the" is reachable only through "▁t" and "▁th". Longer pieces score higher so merges run
 * greedily towards whole words.
 * @example
 * const vocab = buildTinyVocabulary();
 * vocab.tokens[vocab.idOf("<|im_end|>")]; // "<|im_end|>"
 */
export function buildTinyVocabulary(options: { extraUserDefined?: readonly string[] } = {}): TinyVocabulary {
  const tokens: string[] = [];
  const scores: number[] = [];
  const types: number[] = [];
  const ids = new Map<string, number>();
  const add = (text: string, type: number, score = 0) => {
    if (ids.has(text)) return;
    ids.set(text, tokens.length);
    tokens.push(text);
    scores.push(score);
    types.push(type);
  };

  add(SpecialTokens.unknown, TokenType.unknown);
  for (const t of [SpecialTokens.bos, SpecialTokens.eos, SpecialTokens.imStart, SpecialTokens.imEnd]) add(t, TokenType.control);
  for (const t of [
    SpecialTokens.toolCallOpen,
    SpecialTokens.toolCallClose,
    SpecialTokens.toolResponseOpen,
    SpecialTokens.toolResponseClose,
  ]) {
    add(t, TokenType.userDefined);
  }
  for (let b = 0; b < 256; b++) add(byteTokenText(b), TokenType.byte);
  add(SPACE, TokenType.normal, 1);
  // Printable ASCII except the space, which SentencePiece spells as SPACE.
  for (let c = 0x21; c <= 0x7e; c++) add(String.fromCharCode(c), TokenType.normal, 1);

  const words = WORDS.split(/\s+/).filter((w) => w.length > 0);
  const capitalized = words.map((w) => w[0]!.toUpperCase() + w.slice(1));
  // A space before punctuation, digits or capitals is common in prose and in pretty-printed JSON.
  const spaced = Array.from({ length: 0x7e - 0x21 + 1 }, (_, i) => `${SPACE}${String.fromCharCode(0x21 + i)}`);
  const pieces = [...STEERED_PIECES, ...[...words, ...capitalized].flatMap((w) => [w, `${SPACE}${w}`]), ...spaced, ...JSON_AND_TEXT_PIECES];
  for (const piece of pieces) {
    const chars = Array.from(piece);
    for (let n = 1; n <= chars.length; n++) add(chars.slice(0, n).join(""), TokenType.normal, n);
  }

  // Last, so every other token keeps its id in every variant.
  for (const piece of options.extraUserDefined ?? []) add(piece, TokenType.userDefined);

  return {
    tokens,
    scores: Float32Array.from(scores),
    types: Int32Array.from(types),
    idOf(piece) {
      const id = ids.get(piece);
      if (id === undefined) throw new Error(`piece ${JSON.stringify(piece)} is not in the tiny vocabulary`);
      return id;
    },
  };
}
