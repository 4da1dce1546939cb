/** What a model name tells us about the model when the configuration does not say. */

const visionModels = [
  /gpt-4o/i,
  /gpt-4\.1/i,
  /gpt-4-turbo/i,
  /gpt-5/i,
  /\bo[134](-|$)/i,
  /claude-(3|sonnet-4|opus-4|haiku-4|4)/i,
  /llava/i,
  /vision/i,
  /-vl\b|vl:|qwen2\.5vl|qwen-vl/i,
  /gemma-?3/i,
  /pixtral/i,
  /minicpm-v/i,
  /moondream/i,
  /llama-?4/i,
  /mistral-small-?3\.[12]/i,
];

/** Whether a model of this name accepts images (HEARTH_LLM_IMAGES overrides the guess). */
export function modelAcceptsImages(model: string): boolean {
  return visionModels.some((pattern) => pattern.test(model));
}
