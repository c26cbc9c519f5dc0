/** The document-store acceptance kit: {@link io.tito.testkit.docs.DocumentAcceptanceTest}. */
package io.tito.testkit.docs;
