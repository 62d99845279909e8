/** Every text form the parser knows, in the order openings are tried. */
import { bareJsonForm } from "./bare-json";
import { deepseekForm } from "./deepseek";
import { fencedJsonForm } from "./fenced-json";
import { hermesForm } from "./hermes";
import { llamaPythonTagForm } from "./llama-python-tag";
import { mistralForm } from "./mistral";
import type { TextForm } from "./text-form";

export const TEXT_FORMS: readonly TextForm[] = [hermesForm, llamaPythonTagForm, mistralForm, deepseekForm, fencedJsonForm, bareJsonForm];
