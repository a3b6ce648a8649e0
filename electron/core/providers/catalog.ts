/**
 * What the app knows about each provider without talking to it: default API root and the
 * pattern of its references.
 */
import type { ProviderId } from '../../../shared/domain';

export interface ProviderFacts {
  readonly defaultBaseUrl: string;
  /** Does this text look like one of the provider's references? */
  readonly referencePattern: RegExp;
  /** How references are stored, so duplicates and answers match whatever case the clerk typed. */
  normalise(reference: string): string;
  readonly referenceExample: string;
}

export const PROVIDERS: Record<ProviderId, ProviderFacts> = {
  electio: {
    defaultBaseUrl: 'https://api.electioapp.com',
    referencePattern: /^EC-[A-Z0-9]{3}-[A-Z0-9]{3}-[A-Z0-9]{3}$/i,
    normalise: (reference) => reference.toUpperCase(),
    referenceExample: 'EC-000-05D-1NS',
  },
};
